// Trading calendar: which days have a daily bar. US equities trade on weekdays except NYSE
// holidays (computed by rule, with NYSE's weekend observance); crypto trades every UTC day.
// Days are handled as epoch day numbers (days since 1970-01-01) so loops are integer arithmetic.

import type { AssetClass } from "../stocks/stock.ts";

const MS_PER_DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a "YYYY-MM-DD" date; RangeError for anything else. */
export function dayNumber(date: string): number {
  const match = DATE.exec(date);
  const day = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY
    : Number.NaN;
  if (!Number.isInteger(day) || dateOfDay(day) !== date) {
    throw new RangeError(`not a YYYY-MM-DD calendar date: ${JSON.stringify(date)}`);
  }
  return day;
}

/** The "YYYY-MM-DD" date of an epoch day number. */
export function dateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function ymd(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / MS_PER_DAY;
}

/** The `nth` (1-based) given weekday of a month; nth = -1 for the last one. */
function nthWeekday(year: number, month: number, day: number, nth: number): number {
  if (nth < 0) {
    const last = ymd(year, month + 1, 0);
    return last - ((weekday(last) - day + 7) % 7);
  }
  const first = ymd(year, month, 1);
  return first + ((day - weekday(first) + 7) % 7) + 7 * (nth - 1);
}

/** Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" computus). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, date);
}

/** A fixed-date holiday on Saturday is observed Friday, on Sunday Monday. */
function observed(day: number): number {
  const w = weekday(day);
  return w === 6 ? day - 1 : w === 0 ? day + 1 : day;
}

// Unscheduled full-day closures since the simulator's origin (2010): Hurricane Sandy and national
// days of mourning.
const SPECIAL_CLOSURES = ["2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09"];

const holidayCache = new Map<number, ReadonlySet<number>>();

function holidaySet(year: number): ReadonlySet<number> {
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(usMarketHolidays(year).map(dayNumber));
    holidayCache.set(year, set);
  }
  return set;
}

/**
 * NYSE full-day holidays of `year` (rules in force since 2022; correct from 1998 when MLK day was
 * added), sorted. New Year's Day on a Saturday is not observed (NYSE rule: the Friday before
 * closes a fiscal year); Juneteenth is observed from 2022.
 */
export function usMarketHolidays(year: number): string[] {
  if (!Number.isInteger(year) || year < 1998 || year > 9999) {
    throw new RangeError(`year must be an integer from 1998 to 9999, got ${year}`);
  }
  const days: number[] = [];
  const newYear = ymd(year, 1, 1);
  if (weekday(newYear) !== 6) days.push(observed(newYear));
  days.push(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day: 3rd Monday of January
  days.push(nthWeekday(year, 2, 1, 3)); // Washington's Birthday: 3rd Monday of February
  days.push(easterSunday(year) - 2); // Good Friday
  days.push(nthWeekday(year, 5, 1, -1)); // Memorial Day: last Monday of May
  if (year >= 2022) days.push(observed(ymd(year, 6, 19))); // Juneteenth
  days.push(observed(ymd(year, 7, 4))); // Independence Day
  days.push(nthWeekday(year, 9, 1, 1)); // Labor Day: 1st Monday of September
  days.push(nthWeekday(year, 11, 4, 4)); // Thanksgiving: 4th Thursday of November
  days.push(observed(ymd(year, 12, 25))); // Christmas
  const dates = days.map(dateOfDay);
  for (const special of SPECIAL_CLOSURES) if (special.startsWith(`${year}-`)) dates.push(special);
  return dates.sort();
}

/** Whether the market of `assetClass` has a daily bar on epoch day `day`. */
export function isTradingDay(day: number, assetClass: AssetClass): boolean {
  if (assetClass === "crypto") return true;
  const w = weekday(day);
  if (w === 0 || w === 6) return false;
  return !holidaySet(new Date(day * MS_PER_DAY).getUTCFullYear()).has(day);
}

/** Trading days from `from` to `to` inclusive, as "YYYY-MM-DD" (empty when from > to). */
export function tradingDays(from: string, to: string, assetClass: AssetClass): string[] {
  const days: string[] = [];
  for (let day = dayNumber(from), last = dayNumber(to); day <= last; day++) {
    if (isTradingDay(day, assetClass)) days.push(dateOfDay(day));
  }
  return days;
}

/**
 * Hours New York is ahead of UTC (−4 or −5) after 02:00 local on epoch day `day`, by the US
 * daylight-saving rule in force since 2007 (second Sunday of March to first Sunday of November).
 * Rule-based rather than Intl: ~1000× faster, and independent of the host's time-zone data.
 */
export function newYorkOffsetHours(day: number): number {
  const year = new Date(day * MS_PER_DAY).getUTCFullYear();
  if (year < 2007) throw new RangeError(`the DST rule applies from 2007, got ${year}`);
  const start = nthWeekday(year, 3, 0, 2);
  const end = nthWeekday(year, 11, 0, 1);
  return day >= start && day < end ? -4 : -5;
}
