import assert from "node:assert/strict";
import { assertForecast, testInputs } from "../../../tests/support/model_inputs.ts";
import { alwaysUp } from "./always_up.ts";

Deno.test("always-up: up at the fixed confidence, whatever the inputs", () => {
  assert.deepEqual(alwaysUp.predict(testInputs({ horizon: 5 }), {}), {
    direction: "up",
    confidence: 0.5,
    horizon: 5,
    reasoning: "Baseline: always up, fixed confidence 50% → up",
    citedNewsIds: [],
  });
  const answer = assertForecast(
    alwaysUp.predict(testInputs({ closes: [100, 90, 80] }), { confidence: 0.8 }),
  );
  assert.equal(answer.direction, "up");
  assert.equal(answer.confidence, 0.8);
});

Deno.test("always-up: confidence must be a number from 0 to 1", () => {
  assert.deepEqual(alwaysUp.paramProblems({ confidence: 1.5 }), [
    "confidence must be a number from 0 to 1, got 1.5.",
  ]);
  assert.deepEqual(alwaysUp.paramProblems({ confidence: 0 }), []);
  assert.throws(() => alwaysUp.predict(testInputs(), { confidence: "high" }), RangeError);
});
