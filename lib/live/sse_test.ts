import assert from "node:assert/strict";
import { lastSeenId, sseComment, sseEvent, sseRetry } from "./sse.ts";

Deno.test("sseEvent: id, event name, then one data line per line of data", () => {
  assert.equal(
    sseEvent({ id: 42, event: "prediction", data: '{"a":1}' }),
    'id: 42\nevent: prediction\ndata: {"a":1}\n\n',
  );
  assert.equal(
    sseEvent({ data: "one\ntwo\r\nthree\rfour" }),
    [
      "data: one",
      "data: two",
      "data: three",
      "data: four",
      "",
      "",
    ].join("\n"),
  );
});

Deno.test("sseEvent and sseComment: a line break can't start a field of its own", () => {
  const event = sseEvent({ id: "7\ndata: forged", event: "x\r\nid: 9", data: "ok" });
  assert.equal(event, "id: 7data: forged\nevent: xid: 9\ndata: ok\n\n");
  assert.equal(sseComment("beat\ndata: forged"), ": beatdata: forged\n\n");
  assert.equal(sseRetry(5000.4), "retry: 5000\n\n");
});

Deno.test("lastSeenId: Last-Event-ID first, then ?after, anything else is nothing seen", () => {
  assert.equal(lastSeenId("12", "5"), 12);
  assert.equal(lastSeenId(null, "5"), 5);
  assert.equal(lastSeenId(" 0 ", null), 0);
  assert.equal(lastSeenId("abc", "5"), 5, "a bad header falls back to ?after");
  for (const bad of ["", "-1", "1.5", "1e3", "99999999999999999", "0x10"]) {
    assert.equal(lastSeenId(bad, null), undefined, bad);
  }
  assert.equal(lastSeenId(null, null), undefined);
});
