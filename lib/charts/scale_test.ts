import assert from "node:assert/strict";
import { linearScale, linePath, niceTicks } from "./scale.ts";

Deno.test("linear scales map domain onto range, also inverted", () => {
  const y = linearScale([100, 200], [300, 0]);
  assert.equal(y(100), 300);
  assert.equal(y(150), 150);
  assert.equal(y(200), 0);
  assert.equal(linearScale([5, 5], [0, 10])(5), 5);
});

Deno.test("nice ticks use 1-2-5 steps and stay inside the domain", () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(23.7, 48.2, 5), [25, 30, 35, 40, 45]);
  assert.deepEqual(niceTicks(0.1, 0.5, 4), [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(niceTicks(7, 7), [7]);
  assert.deepEqual(niceTicks(Number.NaN, 1), []);
});

Deno.test("line paths break at missing values", () => {
  assert.equal(
    linePath([[0, 1], [1, 2], [2, null], [3, 4], [4, 5]]),
    "M0.0 1.0L1.0 2.0M3.0 4.0L4.0 5.0",
  );
  assert.equal(linePath([]), "");
});
