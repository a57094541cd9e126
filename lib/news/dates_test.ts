import assert from "node:assert/strict";
import { parseDateInterval, parseFeedDate } from "./dates.ts";

const FETCHED = new Date("2024-03-01T12:00:00Z");
/** Well after every date of the format tests. */
const LATER = new Date("2025-01-01T00:00:00Z");

function iso(text: string, fetchedAt = LATER): string | null {
  return parseFeedDate(text, fetchedAt)?.toISOString() ?? null;
}

Deno.test("RFC 822/1123 dates with named and numeric zones", () => {
  const cases: [string, string][] = [
    ["Tue, 02 Jan 2024 15:04:05 GMT", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 15:04:05 UT", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 15:04:05 Z", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 10:04:05 EST", "2024-01-02T15:04:05.000Z"],
    ["Mon, 01 Jul 2024 11:04:05 EDT", "2024-07-01T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 07:04:05 PST", "2024-01-02T15:04:05.000Z"],
    ["Mon, 01 Jul 2024 08:04:05 PDT", "2024-07-01T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 09:04:05 CST", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 16:04:05 +0100", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 20:34:05 +05:30", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 10:04:05 -0500", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 15:04:05 GMT+0000", "2024-01-02T15:04:05.000Z"],
    ["Tue, 02 Jan 2024 16:04:05 CET", "2024-01-02T15:04:05.000Z"],
  ];
  for (const [text, expected] of cases) assert.equal(iso(text), expected, text);
});

Deno.test("RFC 822 shapes real feeds produce", () => {
  const cases: [string, string][] = [
    // 2-digit years (RFC 2822: 00-49 → 20xx, 50-99 → 19xx)
    ["Tue, 02 Jan 24 15:04:05 GMT", "2024-01-02T15:04:05.000Z"],
    // missing seconds, missing weekday, wrong weekday, single-digit day, full month name
    ["Tue, 02 Jan 2024 15:04 GMT", "2024-01-02T15:04:00.000Z"],
    ["02 Jan 2024 15:04:05 GMT", "2024-01-02T15:04:05.000Z"],
    ["Fri, 02 Jan 2024 15:04:05 GMT", "2024-01-02T15:04:05.000Z"],
    ["Tuesday, 2 January 2024 15:04:05 GMT", "2024-01-02T15:04:05.000Z"],
    ["Tue, 2 Sept 2024 15:04:05 GMT", "2024-09-02T15:04:05.000Z"],
    // asctime / JavaScript toString order, with a comment
    ["Tue Jan 02 2024 15:04:05 GMT+0000 (Coordinated Universal Time)", "2024-01-02T15:04:05.000Z"],
    ["Tue Jan  2 15:04:05 2024 GMT", "2024-01-02T15:04:05.000Z"],
    // am/pm
    ["Jan 2, 2024 3:04 PM EST", "2024-01-02T20:04:00.000Z"],
    ["Jan 2, 2024 12:30 AM GMT", "2024-01-02T00:30:00.000Z"],
    // lower case, extra whitespace
    ["  tue,  02 jan 2024 15:04:05 gmt ", "2024-01-02T15:04:05.000Z"],
  ];
  for (const [text, expected] of cases) assert.equal(iso(text), expected, text);
});

Deno.test("ISO 8601 with and without offsets and fractions", () => {
  const cases: [string, string][] = [
    ["2024-01-02T15:04:05Z", "2024-01-02T15:04:05.000Z"],
    ["2024-01-02t15:04:05z", "2024-01-02T15:04:05.000Z"],
    ["2024-01-02T15:04:05.123456Z", "2024-01-02T15:04:05.123Z"],
    ["2024-01-02T10:04:05-05:00", "2024-01-02T15:04:05.000Z"],
    ["2024-01-02T16:04:05+0100", "2024-01-02T15:04:05.000Z"],
    ["2024-01-02T16:04:05+01", "2024-01-02T15:04:05.000Z"],
    ["2024-01-02 15:04:05Z", "2024-01-02T15:04:05.000Z"],
    ["2024-01-02T15:04Z", "2024-01-02T15:04:00.000Z"],
    ["2016-12-31T23:59:60Z", "2016-12-31T23:59:59.000Z"],
  ];
  for (const [text, expected] of cases) assert.equal(iso(text), expected, text);
});

Deno.test("an unknown zone or a bare date gives the latest instant it can mean", () => {
  // No zone: the wall time could be as far west as UTC-12, so it is read 12 hours late.
  assert.equal(iso("2024-01-02T10:00:00"), "2024-01-02T22:00:00.000Z");
  assert.equal(iso("Tue, 02 Jan 2024 10:00:00"), "2024-01-02T22:00:00.000Z");
  // A zone we don't know (IST: India, Ireland or Israel?) is an unknown zone.
  assert.equal(iso("Tue, 02 Jan 2024 10:00:00 IST"), "2024-01-02T22:00:00.000Z");
  // Military letters other than Z are unreliable (RFC 2822 §4.3).
  assert.equal(iso("Tue, 02 Jan 2024 10:00:00 A"), "2024-01-02T22:00:00.000Z");
  // A bare date: the end of that day at UTC-12 — never before the item could have existed.
  assert.equal(iso("2024-01-02"), "2024-01-03T11:59:59.999Z");
  assert.deepEqual(parseDateInterval("2024-01-02"), {
    earliest: Date.parse("2024-01-01T10:00:00Z"),
    latest: Date.parse("2024-01-03T11:59:59.999Z"),
  });
  assert.equal(iso("2024-01"), "2024-02-01T11:59:59.999Z");
});

Deno.test("never later than the fetch; far-future and implausibly old dates are unusable", () => {
  // Up to a day ahead of the fetch (publisher clock or zone error): capped at the fetch.
  assert.equal(iso("2024-03-01T20:00:00Z", FETCHED), FETCHED.toISOString());
  // Today's bare date, fetched at noon: capped at the fetch.
  assert.equal(iso("2024-03-01", FETCHED), FETCHED.toISOString());
  // Tomorrow's date may still have begun somewhere within a day of the fetch.
  assert.equal(iso("2024-03-03", FETCHED), FETCHED.toISOString());
  // More than a day ahead even at its earliest reading: null (the loader flags an estimate).
  assert.equal(iso("2024-03-02T12:00:01Z", FETCHED), null);
  assert.equal(iso("Sat, 01 Mar 2025 10:00:00 GMT", FETCHED), null);
  assert.equal(iso("2024-03-04", FETCHED), null);
  // Broken defaults.
  assert.equal(iso("1970-01-01T00:00:00Z"), null);
  assert.equal(iso("Thu, 01 Jan 1970 00:00:00 GMT"), null);
});

Deno.test("garbage and impossible dates are null", () => {
  for (
    const text of [
      "",
      "   ",
      "yesterday",
      "3 hours ago",
      "2024-13-01",
      "2024-02-30",
      "2024-02-29T25:00:00Z",
      "2024-01-02T10:00:00+15:00",
      "Tue, 31 Feb 2024 10:00:00 GMT",
      "Tue, 02 Foo 2024 10:00:00 GMT",
      "Tue, 02 Jan 2024 GMT",
      "Tue, 02 Jan 2024 10:61 GMT",
      "Jan 2024 10:00 GMT",
      "Jan 2, 2024 13:04 PM EST",
      "1704207845",
    ]
  ) {
    assert.equal(iso(text), null, JSON.stringify(text));
  }
  assert.equal(parseFeedDate(null, FETCHED), null);
  assert.equal(parseFeedDate(undefined, FETCHED), null);
  // Leap day exists in 2024.
  assert.equal(iso("2024-02-29T10:00:00Z"), "2024-02-29T10:00:00.000Z");
});
