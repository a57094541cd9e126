import assert from "node:assert/strict";
import { addDays, isTimeZone, localDate, utcDate } from "./local_date.ts";

Deno.test("instants are dated in the exchange's zone, not in UTC", () => {
  // 01:00 UTC on 3 January is still 2 January in New York, already 3 January in Tokyo.
  const instant = Date.parse("2024-01-03T01:00:00Z");
  assert.equal(localDate(instant, "America/New_York"), "2024-01-02");
  assert.equal(localDate(instant, "Asia/Tokyo"), "2024-01-03");
  assert.equal(utcDate(instant), "2024-01-03");
});

Deno.test("time zones are checked; days are added across months and years", () => {
  assert.equal(isTimeZone("America/New_York"), true);
  assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
  assert.equal(addDays("2024-02-28", 2), "2024-03-01");
  assert.equal(addDays("2024-01-01", -1), "2023-12-31");
});
