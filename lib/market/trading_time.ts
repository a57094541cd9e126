// When a daily bar closes, as an instant: the point-in-time rule compares `closed_at` (never the
// bare date) with a prediction's as_of.

import { localDate, zonedToUtc } from "./local_date.ts";

const NEW_YORK = "America/New_York";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: string): [number, number, number] {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
  return [year, month, day];
}

/** `date` at `hour`:00 local time in `timeZone`, as a UTC instant (DST-aware). */
export function localTimeToUtc(date: string, hour: number, timeZone: string): Date {
  const [year, month, day] = parseDate(date);
  // Exact except within a DST switch hour itself, which a market close (16:00) never falls into.
  return new Date(zonedToUtc(Date.UTC(year, month - 1, day, hour), timeZone));
}

/**
 * The close of the daily bar dated `date`: 16:00 New York time for US equities; for crypto, whose
 * daily bars are UTC days, the end of that day (next 00:00Z).
 */
export function barClosedAt(date: string, assetClass: "equity" | "crypto"): Date {
  if (assetClass === "crypto") {
    const [year, month, day] = parseDate(date);
    return new Date(Date.UTC(year, month - 1, day + 1));
  }
  return localTimeToUtc(date, 16, NEW_YORK);
}

/** The New York calendar date at `instant` (news dated by exchange-local day). */
export function newYorkDate(instant: Date): string {
  return localDate(instant.getTime(), NEW_YORK);
}
