import assert from "node:assert/strict";
import { Notifier } from "./notifier.ts";

function recorder() {
  const seen: string[] = [];
  return {
    seen,
    listener: { notice: () => seen.push("notice"), closed: () => seen.push("closed") },
  };
}

Deno.test("Notifier: notices reach every listener until it stops listening", () => {
  const notifier = new Notifier();
  const a = recorder();
  const b = recorder();
  const stopA = notifier.listen(a.listener);
  notifier.listen(b.listener);
  notifier.notify();
  stopA();
  notifier.notify();
  assert.deepEqual(a.seen, ["notice"]);
  assert.deepEqual(b.seen, ["notice", "notice"]);
  assert.equal(notifier.listeners, 1);
});

Deno.test("Notifier: close tells each listener once; later listeners are closed at once", () => {
  const notifier = new Notifier();
  const a = recorder();
  notifier.listen(a.listener);
  notifier.close();
  notifier.close();
  notifier.notify();
  assert.deepEqual(a.seen, ["closed"]);
  const late = recorder();
  notifier.listen(late.listener)();
  assert.deepEqual(late.seen, ["closed"]);
  assert.equal(notifier.listeners, 0);
});

Deno.test("Notifier: a listener that stops while being notified doesn't upset the others", () => {
  const notifier = new Notifier();
  const seen: string[] = [];
  const stop = notifier.listen({ notice: () => stop(), closed: () => {} });
  notifier.listen({ notice: () => seen.push("second"), closed: () => {} });
  notifier.notify();
  assert.deepEqual(seen, ["second"]);
});
