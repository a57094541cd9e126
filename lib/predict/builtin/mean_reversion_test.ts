import assert from "node:assert/strict";
import { assertForecast, steadyCloses, testInputs } from "../../../tests/support/model_inputs.ts";
import { meanReversion } from "./mean_reversion.ts";
import { FLAT_CONFIDENCE } from "./model.ts";

Deno.test("mean-reversion: abstains without period + 1 bars", () => {
  assert.deepEqual(meanReversion.predict(testInputs({ closes: steadyCloses(14, 0.01) }), {}), {
    abstain: "fewer than 15 bars",
  });
  assert.deepEqual(meanReversion.predict(testInputs(), { period: 2 }), {
    abstain: "fewer than 3 bars",
  });
});

Deno.test("mean-reversion: RSI-2 of 10 → 11 → 10.5 is 66.7: above 60 → down, by hand", () => {
  // Average gain 0.5, average loss 0.25: RS 2, RSI 100 − 100/3 = 66.67. Strength
  // (66.67 − 60) / (100 − 60) = 1/6; confidence 0.5 + 0.25/6.
  const inputs = testInputs({ closes: [10, 11, 10.5], horizon: 3 });
  const answer = assertForecast(meanReversion.predict(inputs, { period: 2, overbought: 60 }));
  assert.deepEqual(answer, {
    direction: "down",
    confidence: answer.confidence,
    horizon: 3,
    reasoning: "RSI-2 66.7, above 60 (overbought) → down",
    citedNewsIds: [],
  });
  assert.ok(Math.abs(answer.confidence - (0.5 + 0.25 / 6)) < 1e-12);
});

Deno.test("mean-reversion: RSI-2 of 10 → 9 → 9.5 is 33.3: below 40 → up, by hand", () => {
  // Average gain 0.25, loss 0.5: RSI 33.33; strength (40 − 33.33) / 40 = 1/6.
  const answer = assertForecast(
    meanReversion.predict(testInputs({ closes: [10, 9, 9.5] }), { period: 2, oversold: 40 }),
  );
  assert.equal(answer.direction, "up");
  assert.ok(Math.abs(answer.confidence - (0.5 + 0.25 / 6)) < 1e-12);
  assert.equal(answer.reasoning, "RSI-2 33.3, below 40 (oversold) → up");
});

Deno.test("mean-reversion: a steady rise is overbought, a steady fall oversold", () => {
  const rise = assertForecast(
    meanReversion.predict(testInputs({ closes: steadyCloses(30, 0.01) }), {}),
  );
  assert.deepEqual([rise.direction, rise.confidence], ["down", 0.75]);
  assert.equal(rise.reasoning, "RSI-14 100.0, above 70 (overbought) → down");
  const fall = assertForecast(
    meanReversion.predict(testInputs({ closes: steadyCloses(30, -0.01) }), {}),
  );
  assert.deepEqual([fall.direction, fall.confidence], ["up", 0.75]);
});

Deno.test("mean-reversion: in between, or a price that never moves, is flat", () => {
  const still = assertForecast(
    meanReversion.predict(testInputs({ closes: steadyCloses(30, 0) }), {}),
  );
  assert.deepEqual(still, {
    direction: "flat",
    confidence: FLAT_CONFIDENCE,
    horizon: 1,
    reasoning: "RSI-14 50.0, between 30 and 70 → flat",
    citedNewsIds: [],
  });
});

Deno.test("mean-reversion: levels at the extremes never fire (and never divide by zero)", () => {
  const params = { overbought: 100, oversold: 0 };
  for (const rate of [0.01, -0.01]) {
    const answer = assertForecast(
      meanReversion.predict(testInputs({ closes: steadyCloses(30, rate) }), params),
    );
    assert.deepEqual([answer.direction, answer.confidence], ["flat", FLAT_CONFIDENCE]);
  }
});

Deno.test("mean-reversion: params are checked", () => {
  assert.deepEqual(meanReversion.paramProblems({ period: 1, overbought: 40, oversold: 60 }), [
    "period must be a whole number from 2 to 50, got 1.",
    "overbought must be a number from 50 to 100, got 40.",
    "oversold must be a number from 0 to 50, got 60.",
  ]);
  assert.deepEqual(meanReversion.paramProblems({ overbought: 50, oversold: 50 }), []);
});
