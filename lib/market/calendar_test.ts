import assert from "node:assert/strict";
import {
  dateOfDay,
  dayNumber,
  easterSunday,
  isTradingDay,
  newYorkOffsetHours,
  tradingDays,
  usMarketHolidays,
  weekday,
} from "./calendar.ts";
import { zoneOffsetMinutes } from "./local_date.ts";

// NYSE's published full-day closures.
const NYSE: Record<number, string[]> = {
  2015: ["01-01", "01-19", "02-16", "04-03", "05-25", "07-03", "09-07", "11-26", "12-25"],
  2016: ["01-01", "01-18", "02-15", "03-25", "05-30", "07-04", "09-05", "11-24", "12-26"],
  2017: ["01-02", "01-16", "02-20", "04-14", "05-29", "07-04", "09-04", "11-23", "12-25"],
  2018: ["01-01", "01-15", "02-19", "03-30", "05-28", "07-04", "09-03", "11-22", "12-05", "12-25"],
  2019: ["01-01", "01-21", "02-18", "04-19", "05-27", "07-04", "09-02", "11-28", "12-25"],
  2020: ["01-01", "01-20", "02-17", "04-10", "05-25", "07-03", "09-07", "11-26", "12-25"],
  2021: ["01-01", "01-18", "02-15", "04-02", "05-31", "07-05", "09-06", "11-25", "12-24"],
  // New Year's Day 2022 fell on a Saturday: not observed.
  2022: ["01-17", "02-21", "04-15", "05-30", "06-20", "07-04", "09-05", "11-24", "12-26"],
  2023: ["01-02", "01-16", "02-20", "04-07", "05-29", "06-19", "07-04", "09-04", "11-23", "12-25"],
  2024: ["01-01", "01-15", "02-19", "03-29", "05-27", "06-19", "07-04", "09-02", "11-28", "12-25"],
  2025: [
    "01-01",
    "01-09",
    "01-20",
    "02-17",
    "04-18",
    "05-26",
    "06-19",
    "07-04",
    "09-01",
    "11-27",
    "12-25",
  ],
  2026: ["01-01", "01-19", "02-16", "04-03", "05-25", "06-19", "07-03", "09-07", "11-26", "12-25"],
  2027: ["01-01", "01-18", "02-15", "03-26", "05-31", "06-18", "07-05", "09-06", "11-25", "12-24"],
};

Deno.test("US market holidays match NYSE's calendar for 2015–2027", () => {
  for (const [year, dates] of Object.entries(NYSE)) {
    assert.deepEqual(usMarketHolidays(Number(year)), dates.map((date) => `${year}-${date}`));
  }
  assert.throws(() => usMarketHolidays(1990), RangeError);
});

Deno.test("Easter by the computus", () => {
  assert.equal(dateOfDay(easterSunday(2024)), "2024-03-31");
  assert.equal(dateOfDay(easterSunday(2019)), "2019-04-21");
  assert.equal(dateOfDay(easterSunday(2038)), "2038-04-25"); // the latest possible date
  assert.equal(dateOfDay(easterSunday(2285)), "2285-03-22"); // the earliest possible date
});

Deno.test("equity trading days skip weekends and holidays; crypto trades daily", () => {
  const july = tradingDays("2024-07-01", "2024-07-08", "equity");
  assert.deepEqual(july, ["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-05", "2024-07-08"]);
  assert.equal(tradingDays("2024-07-01", "2024-07-08", "crypto").length, 8);
  assert.equal(isTradingDay(dayNumber("2024-03-29"), "equity"), false);
  assert.equal(isTradingDay(dayNumber("2024-03-29"), "crypto"), true);
  // Trading days per year as NYSE counted them.
  assert.equal(tradingDays("2022-01-01", "2022-12-31", "equity").length, 251);
  assert.equal(tradingDays("2023-01-01", "2023-12-31", "equity").length, 250);
  assert.equal(tradingDays("2024-01-01", "2024-12-31", "equity").length, 252);
  assert.deepEqual(tradingDays("2024-01-02", "2024-01-01", "equity"), []);
});

Deno.test("day numbers round-trip and refuse non-dates", () => {
  assert.equal(dayNumber("1970-01-01"), 0);
  assert.equal(weekday(0), 4); // a Thursday
  assert.equal(weekday(dayNumber("2024-07-04")), 4);
  assert.equal(dateOfDay(dayNumber("2024-02-29")), "2024-02-29");
  assert.throws(() => dayNumber("2023-02-29"), RangeError);
  assert.throws(() => dayNumber("2024-1-02"), RangeError);
});

Deno.test("the rule-based New York offset agrees with the time-zone database", () => {
  for (let day = dayNumber("2010-01-01"); day <= dayNumber("2030-12-31"); day++) {
    // Every day of the switching months, every ninth day otherwise (Intl is slow).
    const month = dateOfDay(day).slice(5, 7);
    if (month !== "03" && month !== "11" && day % 9 !== 0) continue;
    const instant = (day * 24 + 11) * 3_600_000; // 06:00 or 07:00 in New York
    assert.equal(newYorkOffsetHours(day) * 60, zoneOffsetMinutes("America/New_York", instant));
  }
  assert.throws(() => newYorkOffsetHours(dayNumber("2006-06-01")), RangeError);
});
