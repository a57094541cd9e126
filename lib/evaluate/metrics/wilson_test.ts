import assert from "node:assert/strict";
import { wilsonInterval, Z_95 } from "./wilson.ts";
import { assertClose } from "./testing.ts";

// z² = 3.841458820694124. Expected ends also agree with scipy's binomtest(k, n).proportion_ci
// (method="wilson") to the digits written.

Deno.test("wilson: 5 of 10 is 0.5 within 0.5 ± (z / 1.38415) · √(0.025 + z²/400)", () => {
  // scale 1 + z²/10 = 1.3841458820694124; center (0.5 + z²/20) / scale = 0.5;
  // half = 1.4160 × √0.0346036 = 0.2634069.
  const interval = wilsonInterval(5, 10)!;
  assert.equal(interval.value, 0.5);
  assertClose(interval.low, 0.236593090512564);
  assertClose(interval.high, 0.7634069094874361);
});

Deno.test("wilson: 0 of 10 is [0, z²/(10 + z²)] and 10 of 10 its mirror", () => {
  const none = wilsonInterval(0, 10)!;
  assert.deepEqual([none.value, none.low], [0, 0]);
  assertClose(none.high, (Z_95 * Z_95) / (10 + Z_95 * Z_95)); // 0.27753279986288926
  const all = wilsonInterval(10, 10)!;
  assert.deepEqual([all.value, all.high], [1, 1]);
  assertClose(all.low, 10 / (10 + Z_95 * Z_95)); // 0.7224672001371109
});

Deno.test("wilson: 3 of 4 and 1 of 1", () => {
  const threeOfFour = wilsonInterval(3, 4)!;
  assertClose(threeOfFour.low, 0.30064184258240184);
  assertClose(threeOfFour.high, 0.9544127391902995);
  assertClose(wilsonInterval(1, 1)!.low, 0.20654931437723745);
});

Deno.test("wilson: no trials has no rate", () => {
  assert.equal(wilsonInterval(0, 0), null);
});
