import assert from "node:assert/strict";
import { testInputs, testNews, testSimilar } from "../../../tests/support/model_inputs.ts";
import { defineModel, directionOf, forecast, leaningConfidence } from "./model.ts";

Deno.test("forecast: the inputs' horizon, and only shown news cited, each once", () => {
  const inputs = testInputs({
    horizon: 5,
    news: [testNews(1, "A"), testNews(2, "B")],
    similar: [testSimilar(7)],
  });
  const answer = forecast(inputs, {
    direction: "up",
    confidence: 0.6,
    reasoning: "because",
    citedNewsIds: [2, 99, 7, 2],
  });
  assert.deepEqual(answer, {
    direction: "up",
    confidence: 0.6,
    horizon: 5,
    reasoning: "because",
    citedNewsIds: [2, 7],
  });
});

Deno.test("forecast: a confidence outside [0, 1] or NaN is a bug, not an answer", () => {
  const inputs = testInputs();
  for (const confidence of [-0.1, 1.1, Number.NaN]) {
    assert.throws(
      () => forecast(inputs, { direction: "up", confidence, reasoning: "" }),
      RangeError,
    );
  }
});

Deno.test("leaningConfidence: 0.5 + 0.25·strength, strength clamped to [−1, 1]", () => {
  assert.equal(leaningConfidence(0), 0.5);
  assert.equal(leaningConfidence(1), 0.75);
  assert.equal(leaningConfidence(-1), 0.25);
  assert.equal(leaningConfidence(5), 0.75);
  assert.equal(leaningConfidence(0.2), 0.55);
});

Deno.test("directionOf: sign outside the band, flat inside it and at exactly zero", () => {
  assert.equal(directionOf(0.3, 0.25), "up");
  assert.equal(directionOf(-0.3, 0.25), "down");
  assert.equal(directionOf(0.2, 0.25), "flat");
  assert.equal(directionOf(0.25, 0.25), "up");
  assert.equal(directionOf(0, 0), "flat");
  assert.equal(directionOf(-1e-9, 0), "down");
});

Deno.test("defineModel: defaults filled in, and invalid params refused before predicting", () => {
  const seen: number[] = [];
  const model = defineModel({
    key: "echo",
    description: "test",
    params: { n: { default: 3, min: 1, max: 5, integer: true } },
    predict(inputs, { n }) {
      seen.push(n);
      return forecast(inputs, { direction: "flat", confidence: 0, reasoning: `${n}` });
    },
  });
  assert.deepEqual(model.defaultParams, { n: 3 });
  model.predict(testInputs(), {});
  model.predict(testInputs(), { n: 5 });
  assert.deepEqual(seen, [3, 5]);
  assert.throws(() => model.predict(testInputs(), { n: 6 }), {
    name: "RangeError",
    message: "n must be a whole number from 1 to 5, got 6.",
  });
  assert.deepEqual(model.paramProblems({ m: 1 }), ['echo has no parameter "m" (it takes n).']);
});
