import assert from "node:assert/strict";
import { brier, calibrationBuckets } from "./calibration.ts";
import { assertClose } from "./testing.ts";

Deno.test("brier: ((0.8 − 1)² + (0.6 − 0)²) / 2 = (0.04 + 0.36) / 2 = 0.2; flats ignored", () => {
  assertClose(
    brier([
      { confidence: 0.8, result: "win" },
      { confidence: 0.6, result: "loss" },
      { confidence: 0.9, result: "flat" },
    ]),
    0.2,
  );
});

Deno.test("brier: no wins or losses has none", () => {
  assert.equal(brier([]), null);
  assert.equal(brier([{ confidence: 0.9, result: "flat" }]), null);
});

Deno.test("calibrationBuckets: 4 buckets, edges go up, 1 lands in the last, flats left out", () => {
  const buckets = calibrationBuckets([
    { confidence: 0, result: "win" }, // [0, 0.25)
    { confidence: 0.25, result: "loss" }, // [0.25, 0.5): an edge belongs to the bucket above
    { confidence: 0.3, result: "win" }, // [0.25, 0.5)
    { confidence: 0.5, result: "flat" }, // not counted: [0.5, 0.75) stays empty
    { confidence: 0.99, result: "loss" }, // [0.75, 1]
    { confidence: 1, result: "win" }, // [0.75, 1]: the last bucket includes 1
  ], 4);
  assert.deepEqual(buckets.map(({ from, to, n, winRate }) => ({ from, to, n, winRate })), [
    { from: 0, to: 0.25, n: 1, winRate: 1 },
    { from: 0.25, to: 0.5, n: 2, winRate: 0.5 },
    { from: 0.5, to: 0.75, n: 0, winRate: null },
    { from: 0.75, to: 1, n: 2, winRate: 0.5 },
  ]);
  // Means: 0; (0.25 + 0.3) / 2 = 0.275; empty → midpoint 0.625; (0.99 + 1) / 2 = 0.995.
  [0, 0.275, 0.625, 0.995].forEach((mean, i) => assertClose(buckets[i].meanConfidence, mean));
});

Deno.test("calibrationBuckets: ten empty buckets by default, each at its midpoint", () => {
  const buckets = calibrationBuckets([]);
  assert.equal(buckets.length, 10);
  assert.ok(buckets.every((bucket) => bucket.n === 0 && bucket.winRate === null));
  assertClose(buckets[9].meanConfidence, 0.95);
});

Deno.test("calibrationBuckets: a bucket count that is not a positive integer is a RangeError", () => {
  assert.throws(() => calibrationBuckets([], 0), RangeError);
  assert.throws(() => calibrationBuckets([], 2.5), RangeError);
});
