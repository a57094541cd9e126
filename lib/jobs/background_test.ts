import assert from "node:assert/strict";
import { BackgroundWork } from "./background.ts";

Deno.test("background work: idle waits for every tracked run, failed ones too", async () => {
  const work = new BackgroundWork();
  const first = Promise.withResolvers<void>();
  const second = Promise.withResolvers<void>();
  work.track(first.promise);
  work.track(second.promise).catch(() => {});
  let idle = false;
  const waiting = work.idle().then(() => idle = true);
  first.resolve();
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(idle, false, "one run is still going");
  second.reject(new Error("failed run"));
  await waiting;
  assert.equal(idle, true);
});

Deno.test("background work: stop aborts the shared signal with its reason", () => {
  const work = new BackgroundWork();
  assert.equal(work.signal.aborted, false);
  work.stop(new Error("the process is shutting down"));
  assert.equal(work.signal.aborted, true);
  assert.equal((work.signal.reason as Error).message, "the process is shutting down");
});
