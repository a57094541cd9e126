import assert from "node:assert/strict";
import {
  assertForecast,
  steadyCloses,
  testInputs,
  testNews,
} from "../../../tests/support/model_inputs.ts";
import { FLAT_CONFIDENCE } from "./model.ts";
import { momentum } from "./momentum.ts";

Deno.test("momentum: abstains without lookback + 1 bars", () => {
  assert.deepEqual(momentum.predict(testInputs({ closes: steadyCloses(20, 0.01) }), {}), {
    abstain: "fewer than 21 bars",
  });
  assert.deepEqual(momentum.predict(testInputs(), { lookback: 5 }), {
    abstain: "fewer than 6 bars",
  });
});

Deno.test("momentum: 100 → 110 → 99 → 108.9 over 3 bars, by hand", () => {
  // Log returns ln 1.1, ln 0.9, ln 1.1: sample σ = 0.115857; z = ln 1.089 / (σ·√3) = 0.42487;
  // confidence = 0.5 + 0.25·tanh(0.42487) = 0.600257; annualised σ·√252 = 184%.
  const inputs = testInputs({
    closes: [100, 110, 99, 108.9],
    horizon: 5,
    news: [testNews(1, "Acme beats")],
  });
  const answer = assertForecast(momentum.predict(inputs, { lookback: 3 }));
  assert.equal(answer.direction, "up");
  assert.ok(Math.abs(answer.confidence - 0.600257) < 1e-6, `${answer.confidence}`);
  assert.equal(answer.horizon, 5);
  assert.equal(
    answer.reasoning,
    "3-day return +8.9%, volatility 184% (+0.4σ, flat within ±0.25σ) → up",
  );
  assert.deepEqual(answer.citedNewsIds, []);
});

Deno.test("momentum: only the last lookback + 1 bars count", () => {
  const recent = [100, 110, 99, 108.9];
  const alone = momentum.predict(testInputs({ closes: recent }), { lookback: 3 });
  const after = momentum.predict(testInputs({ closes: [5, 500, 1, ...recent] }), { lookback: 3 });
  assert.deepEqual(after, alone);
});

Deno.test("momentum: a fall mirrors a rise", () => {
  const up = assertForecast(momentum.predict(testInputs({ closes: [100, 110, 99, 108.9] }), {
    lookback: 3,
  }));
  const down = assertForecast(
    momentum.predict(testInputs({ closes: [100, 110, 99, 108.9].map((close) => 1e4 / close) }), {
      lookback: 3,
    }),
  );
  assert.equal(down.direction, "down");
  assert.ok(Math.abs(down.confidence - up.confidence) < 1e-12);
  assert.match(down.reasoning, /3-day return -8\.2%.*\(-0\.4σ/);
});

Deno.test("momentum: a small move inside the band is flat, at low confidence", () => {
  // ln(1.01) over 3 noisy bars is about 0.05σ.
  const inputs = testInputs({ closes: [100, 110, 99, 101] });
  const answer = assertForecast(momentum.predict(inputs, { lookback: 3 }));
  assert.equal(answer.direction, "flat");
  assert.equal(answer.confidence, FLAT_CONFIDENCE);
  assert.match(answer.reasoning, / → flat$/);
  // With no band only an exactly unchanged price is flat.
  assert.equal(
    assertForecast(momentum.predict(inputs, { lookback: 3, flatSigmas: 0 })).direction,
    "up",
  );
});

Deno.test("momentum: zero volatility gives no NaN", () => {
  const still = assertForecast(momentum.predict(testInputs({ closes: steadyCloses(21, 0) }), {}));
  assert.deepEqual([still.direction, still.confidence], ["flat", FLAT_CONFIDENCE]);
  assert.equal(
    still.reasoning,
    "20-day return 0.0%, volatility 0% (0.0σ, flat within ±0.25σ) → flat",
  );

  // Doubling every bar: log returns exactly ln 2, σ exactly 0, z infinite.
  const doubling = assertForecast(momentum.predict(testInputs({ closes: [1, 2, 4] }), {
    lookback: 2,
  }));
  assert.deepEqual([doubling.direction, doubling.confidence], ["up", 0.75]);
  assert.equal(
    doubling.reasoning,
    "2-day return +300.0%, volatility 0% (far beyond its noise, flat within ±0.25σ) → up",
  );

  // Steady 1% growth: σ is rounding noise only.
  const steady = assertForecast(
    momentum.predict(testInputs({ closes: steadyCloses(21, 0.01) }), {}),
  );
  assert.equal(steady.direction, "up");
  assert.ok(Math.abs(steady.confidence - 0.75) < 1e-9);
  assert.doesNotMatch(steady.reasoning, /NaN|Infinity|e\+/);
});

Deno.test("momentum: params are checked", () => {
  assert.deepEqual(momentum.paramProblems({ lookback: 120, flatSigmas: -1 }), [
    "lookback must be a whole number from 2 to 119, got 120.",
    "flatSigmas must be a number from 0 to 3, got -1.",
  ]);
  assert.deepEqual(momentum.paramProblems({ lookback: 119 }), []);
  assert.throws(() => momentum.predict(testInputs(), { lookback: 0 }), RangeError);
});
