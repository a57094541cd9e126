import assert from "node:assert/strict";
import { eachLimited } from "./each_limited.ts";

Deno.test("eachLimited: every item once, never more than the limit in flight", async () => {
  let inFlight = 0;
  let peak = 0;
  const seen: number[] = [];
  await eachLimited(Array.from({ length: 25 }, (_, i) => i), 4, async (item) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, item % 3));
    seen.push(item);
    inFlight--;
  });
  assert.equal(peak, 4);
  assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i));
});

Deno.test("eachLimited: a failure does not stop the others; the first error is thrown", async () => {
  const done: number[] = [];
  await assert.rejects(
    eachLimited([1, 2, 3, 4], 2, async (item) => {
      if (item === 2) throw new Error("two");
      await Promise.resolve();
      done.push(item);
    }),
    /two/,
  );
  assert.deepEqual(done.sort(), [1, 3, 4]);
  await assert.rejects(eachLimited([1], 0, () => Promise.resolve()), RangeError);
});
