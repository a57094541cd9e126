import assert from "node:assert/strict";
import { debounce } from "./debounce.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("debounce: one call with the last arguments once calls stop", async () => {
  const calls: number[] = [];
  const debounced = debounce((value: number) => calls.push(value), 20);
  debounced(1);
  debounced(2);
  debounced(3);
  assert.deepEqual(calls, []);
  await sleep(50);
  assert.deepEqual(calls, [3]);
});

Deno.test("debounce: flush runs the pending call now, cancel drops it", async () => {
  const calls: number[] = [];
  const debounced = debounce((value: number) => calls.push(value), 20);
  debounced(1);
  debounced.flush();
  assert.deepEqual(calls, [1]);
  debounced.flush();
  assert.deepEqual(calls, [1], "nothing pending: nothing to run");
  debounced(2);
  debounced.cancel();
  await sleep(50);
  assert.deepEqual(calls, [1]);
});
