import assert from "node:assert/strict";
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "./retry_timing.ts";

Deno.test("429 and 5xx are retried, other statuses are not", () => {
  for (const status of [429, 500, 502, 503, 504, 599]) {
    assert.equal(isRetryableStatus(status), true);
  }
  for (const status of [200, 304, 400, 401, 403, 404, 410, 422]) {
    assert.equal(isRetryableStatus(status), false);
  }
});

Deno.test("backoff doubles its ceiling per retry, capped, with full jitter", () => {
  const top = () => 0.999999;
  assert.equal(backoffDelayMs(1, 100, 10_000, top), 99);
  assert.equal(backoffDelayMs(2, 100, 10_000, top), 199);
  assert.equal(backoffDelayMs(4, 100, 10_000, top), 799);
  assert.equal(backoffDelayMs(20, 100, 10_000, top), 9999);
  assert.equal(backoffDelayMs(3, 100, 10_000, () => 0), 0);
  assert.equal(backoffDelayMs(3, 100, 10_000, () => 0.5), 200);
});

Deno.test("Retry-After: delay-seconds, HTTP-date, past dates and garbage", () => {
  const now = Date.parse("2024-01-02T10:00:00Z");
  assert.equal(parseRetryAfterMs("120", now), 120_000);
  assert.equal(parseRetryAfterMs(" 0 ", now), 0);
  assert.equal(parseRetryAfterMs("Tue, 02 Jan 2024 10:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfterMs("Tue, 02 Jan 2024 09:00:00 GMT", now), 0);
  assert.equal(parseRetryAfterMs(null, now), null);
  assert.equal(parseRetryAfterMs("1.5", now), null);
  assert.equal(parseRetryAfterMs("-3", now), null);
  assert.equal(parseRetryAfterMs("soon", now), null);
});
