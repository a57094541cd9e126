import assert from "node:assert/strict";
import {
  bootstrapMeanInterval,
  discordantPairs,
  mcnemarP,
  percentile,
  sharePredictions,
} from "./paired.ts";
import { assertClose, scored } from "./testing.ts";

const AS_OF = new Date("2024-01-02T21:00:00Z");

Deno.test("sharePredictions: same stock, as-of instant and horizon, in A's order", () => {
  const a = [
    scored({ id: 1, stockId: 1 }),
    scored({ id: 2, stockId: 2 }),
    scored({ id: 3, stockId: 3 }),
    scored({ id: 4, stockId: 1, horizon: 5 }),
  ];
  const b = [
    scored({ id: 12, stockId: 2 }),
    scored({ id: 11, stockId: 1 }),
    scored({ id: 13, stockId: 3, asOf: new Date(AS_OF.getTime() + 1) }), // a millisecond later
    scored({ id: 14, stockId: 1, horizon: 5 }),
  ];
  const ids = sharePredictions(a, b).map((pair) => [pair.a.id, pair.b.id]);
  assert.deepEqual(ids, [[1, 11], [2, 12], [4, 14]]);
  assert.deepEqual(sharePredictions([], b), []);
});

Deno.test("sharePredictions: one model predicting the same key twice is a RangeError", () => {
  assert.throws(
    () => sharePredictions([scored()], [scored({ id: 7 }), scored({ id: 8 })]),
    /prediction 8 repeats/,
  );
  assert.throws(() => sharePredictions([scored({ id: 7 }), scored({ id: 8 })], []), RangeError);
});

Deno.test("discordantPairs: a flat is not a win; agreeing pairs do not count", () => {
  const pair = (a: "win" | "loss" | "flat", b: "win" | "loss" | "flat") => ({
    a: scored({ result: a }),
    b: scored({ result: b }),
  });
  assert.deepEqual(
    discordantPairs([
      pair("win", "loss"), // A only
      pair("win", "flat"), // A only
      pair("flat", "win"), // B only
      pair("win", "win"),
      pair("loss", "flat"),
    ]),
    { aOnly: 2, bOnly: 1 },
  );
});

Deno.test("mcnemarP: exact binomial on the discordant pairs; none is null", () => {
  assert.equal(mcnemarP(0, 0), null);
  assertClose(mcnemarP(3, 0), 0.25); // 2 × (1/2)³
  assertClose(mcnemarP(1, 5), 0.21875); // 2 × (1 + 6) / 64
  assert.equal(mcnemarP(4, 4), 1);
});

Deno.test("percentile: numpy's linear rule — 2.5% of 1…5 sits at 0.1 → 1.1, 97.5% at 3.9 → 4.9", () => {
  assertClose(percentile([1, 2, 3, 4, 5], 0.025), 1.1);
  assertClose(percentile([1, 2, 3, 4, 5], 0.975), 4.9);
  assert.equal(percentile([7], 0.975), 7);
});

Deno.test("bootstrapMeanInterval: the same seed gives the same interval, around the mean", () => {
  const values = Array.from({ length: 50 }, (_, i) => ((i * 37) % 50) / 1000 - 0.02);
  const options = { resamples: 500, seed: 42 };
  const interval = bootstrapMeanInterval(values, options)!;
  assert.deepEqual(bootstrapMeanInterval(values, options), interval);
  assert.notDeepEqual(bootstrapMeanInterval(values, { resamples: 500, seed: 43 }), interval);
  // Mean 0.0045; the spread of a mean of 50 values with std 0.0146 is about 0.002.
  assert.ok(interval.low < 0.0045 && 0.0045 < interval.high, JSON.stringify(interval));
  assert.ok(interval.high - interval.low < 0.012, JSON.stringify(interval));
});

Deno.test("bootstrapMeanInterval: constant values give a point; none gives null", () => {
  assert.deepEqual(bootstrapMeanInterval([0.01, 0.01], { resamples: 100, seed: 1 }), {
    low: 0.01,
    high: 0.01,
  });
  assert.equal(bootstrapMeanInterval([], { resamples: 100, seed: 1 }), null);
  assert.throws(() => bootstrapMeanInterval([1], { resamples: 0, seed: 1 }), RangeError);
});
