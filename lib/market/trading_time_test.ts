import assert from "node:assert/strict";
import { zoneOffsetMinutes } from "./local_date.ts";
import { barClosedAt, localTimeToUtc, newYorkDate } from "./trading_time.ts";

Deno.test("New York offsets follow daylight saving time", () => {
  assert.equal(zoneOffsetMinutes("America/New_York", Date.UTC(2024, 0, 15, 12)), -300);
  assert.equal(zoneOffsetMinutes("America/New_York", Date.UTC(2024, 6, 15, 12)), -240);
  assert.equal(zoneOffsetMinutes("UTC", Date.UTC(2024, 6, 15, 12)), 0);
});

Deno.test("equity bars close at 16:00 New York time, in UTC", () => {
  assert.equal(barClosedAt("2024-01-02", "equity").toISOString(), "2024-01-02T21:00:00.000Z");
  assert.equal(barClosedAt("2024-07-01", "equity").toISOString(), "2024-07-01T20:00:00.000Z");
  // The Monday after each 2024 switch (10 March, 3 November).
  assert.equal(barClosedAt("2024-03-11", "equity").toISOString(), "2024-03-11T20:00:00.000Z");
  assert.equal(barClosedAt("2024-11-04", "equity").toISOString(), "2024-11-04T21:00:00.000Z");
});

Deno.test("crypto daily bars close at the end of their UTC day", () => {
  assert.equal(barClosedAt("2024-02-29", "crypto").toISOString(), "2024-03-01T00:00:00.000Z");
  assert.equal(barClosedAt("2024-12-31", "crypto").toISOString(), "2025-01-01T00:00:00.000Z");
});

Deno.test("bad dates are refused", () => {
  assert.throws(() => barClosedAt("2024-02-30", "equity"), /not a calendar date/);
  assert.throws(() => localTimeToUtc("02/01/2024", 16, "UTC"), /not a YYYY-MM-DD date/);
});

Deno.test("instants map to their New York calendar date", () => {
  assert.equal(newYorkDate(new Date("2024-07-01T19:59:00Z")), "2024-07-01");
  assert.equal(newYorkDate(new Date("2024-07-02T03:00:00Z")), "2024-07-01");
  assert.equal(newYorkDate(new Date("2024-07-02T04:00:00Z")), "2024-07-02");
});
