import assert from "node:assert/strict";
import { NEW_YORK, parseTimestamp, zoneFromName } from "./timestamp.ts";

const iso = (parts: Parameters<typeof parseTimestamp>[0]) => {
  const result = parseTimestamp(parts);
  return result instanceof Date ? result.toISOString() : result;
};

Deno.test("parseTimestamp: explicit instants", () => {
  const utc = { defaultZone: NEW_YORK };
  assert.equal(iso({ date: "2014-01-01T01:52:31Z", ...utc }), "2014-01-01T01:52:31.000Z");
  assert.equal(iso({ date: "2014-01-01 01:52:31+01:00", ...utc }), "2014-01-01T00:52:31.000Z");
  assert.equal(iso({ date: "2014-01-01T01:52:31.25-0500", ...utc }), "2014-01-01T06:52:31.250Z");
  assert.equal(iso({ date: "1388541151", ...utc }), "2014-01-01T01:52:31.000Z");
  assert.equal(iso({ date: "1388541151123", ...utc }), "2014-01-01T01:52:31.123Z");
});

Deno.test("parseTimestamp: wall times in the row's, the column's or the default zone (DST-aware)", () => {
  assert.equal(
    iso({ date: "2024-01-30", time: "14:05", zone: "EST", defaultZone: "UTC" }),
    "2024-01-30T19:05:00.000Z",
  );
  // "EST" in July still means New York time, which is then EDT.
  assert.equal(
    iso({ date: "2024-07-01", time: "2:05 pm", zone: "EST", defaultZone: "UTC" }),
    "2024-07-01T18:05:00.000Z",
  );
  assert.equal(
    iso({ date: "2024-07-01 09:30", defaultZone: NEW_YORK }),
    "2024-07-01T13:30:00.000Z",
  );
  assert.equal(iso({ date: "2024-07-01 09:30", defaultZone: "UTC" }), "2024-07-01T09:30:00.000Z");
  assert.equal(
    iso({ date: "2024-07-01 09:30", zone: "Europe/London", defaultZone: "UTC" }),
    "2024-07-01T08:30:00.000Z",
  );
  assert.equal(
    iso({ date: "2024-07-01 09:30 UTC", zone: "EST", defaultZone: NEW_YORK }),
    "2024-07-01T09:30:00.000Z",
  );
  assert.equal(
    iso({ date: "2024-01-02", time: "12:00 am", defaultZone: "UTC" }),
    "2024-01-02T00:00:00.000Z",
  );
});

Deno.test("parseTimestamp: a bare date is the last instant of that day in its zone", () => {
  assert.equal(iso({ date: "2024-01-02", defaultZone: NEW_YORK }), "2024-01-03T04:59:59.999Z");
  assert.equal(iso({ date: "2024-07-02", defaultZone: NEW_YORK }), "2024-07-03T03:59:59.999Z");
  assert.equal(
    iso({ date: "2024-07-02", time: " ", zone: "", defaultZone: "UTC" }),
    "2024-07-02T23:59:59.999Z",
  );
  assert.equal(iso({ date: "2024-07-02+02:00", defaultZone: "UTC" }), "2024-07-02T21:59:59.999Z");
});

Deno.test("parseTimestamp: reasons", () => {
  const reasons: [Parameters<typeof parseTimestamp>[0], RegExp][] = [
    [{ date: "", defaultZone: "UTC" }, /date is empty/],
    [{ date: "Jan 2, 2024", defaultZone: "UTC" }, /is not YYYY-MM-DD/],
    [{ date: "2024-02-30", defaultZone: "UTC" }, /not a calendar date/],
    [{ date: "2024-02-03 25:00", defaultZone: "UTC" }, /not a clock time/],
    [{ date: "2024-02-03", time: "noon", defaultZone: "UTC" }, /time "noon" is not HH:MM/],
    [{ date: "2024-02-03", time: "13:00 pm", defaultZone: "UTC" }, /not a clock time/],
    [
      { date: "2024-02-03", time: "10:00", zone: "Mars/Base", defaultZone: "UTC" },
      /zone "Mars\/Base" is unknown/,
    ],
    [{ date: "1800-01-01", defaultZone: "UTC" }, /out of range/],
  ];
  for (const [parts, reason] of reasons) assert.match(String(parseTimestamp(parts)), reason);
});

Deno.test("zoneFromName", () => {
  assert.equal(zoneFromName("edt"), NEW_YORK);
  assert.equal(zoneFromName("US/Eastern"), NEW_YORK);
  assert.equal(zoneFromName("gmt"), "UTC");
  assert.equal(zoneFromName("Asia/Tokyo"), "Asia/Tokyo");
  assert.equal(zoneFromName("XYZ"), null);
});
