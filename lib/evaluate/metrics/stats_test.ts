import assert from "node:assert/strict";
import { mean, sampleStd } from "./stats.ts";
import { assertClose } from "./testing.ts";

Deno.test("mean: (1 + 2 + 6) / 3 = 3; none is null", () => {
  assert.equal(mean([1, 2, 6]), 3);
  assert.equal(mean([]), null);
});

Deno.test("sampleStd: 2, 4, 6 → mean 4, squares 4 + 0 + 4 = 8, / (3 − 1) = 4, √4 = 2", () => {
  assertClose(sampleStd([2, 4, 6]), 2);
  assert.equal(sampleStd([5]), null);
  assert.equal(sampleStd([]), null);
});

Deno.test("sampleStd: a constant series is exactly 0, not rounding noise", () => {
  assert.notEqual((0.1 + 0.1 + 0.1) / 3, 0.1); // why the two-pass formula alone is not enough
  assert.equal(sampleStd([0.1, 0.1, 0.1]), 0);
});
