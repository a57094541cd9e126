// Publication times as data files write them: ISO 8601 with or without a zone, a date with the
// time and zone in other columns, or Unix epoch seconds/milliseconds.
import { zonedToUtc } from "../market/local_date.ts";

export const NEW_YORK = "America/New_York";

/** Zone names seen in finance data → IANA zones (US abbreviations follow DST by date). */
const ZONE_NAMES: Record<string, string> = {
  Z: "UTC",
  UTC: "UTC",
  GMT: "UTC",
  ET: NEW_YORK,
  EST: NEW_YORK,
  EDT: NEW_YORK,
  EASTERN: NEW_YORK,
  CT: "America/Chicago",
  CST: "America/Chicago",
  CDT: "America/Chicago",
  PT: "America/Los_Angeles",
  PST: "America/Los_Angeles",
  PDT: "America/Los_Angeles",
};

const zoneNames = new Map<string, string | null>();

/** "EST", "utc", "Europe/London" → an IANA zone, or null when unknown. */
export function zoneFromName(name: string): string | null {
  let zone = zoneNames.get(name);
  if (zone === undefined) {
    zone = lookUpZone(name.trim());
    if (zoneNames.size < 1_000) zoneNames.set(name, zone);
  }
  return zone;
}

function lookUpZone(trimmed: string): string | null {
  const known = ZONE_NAMES[trimmed.toUpperCase().replace(/^US\//, "")];
  if (known) return known;
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$/.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const DATE_TIME = new RegExp(
  "^(\\d{4})-(\\d{2})-(\\d{2})" +
    "(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?)?" +
    "\\s*(Z|[+-]\\d{2}(?::?\\d{2})?|[A-Za-z][A-Za-z_/+-]*)?$",
  "i",
);
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$/i;

export interface TimestampParts {
  date: string;
  /** A separate time-of-day column ("14:30", "2:30 pm"). */
  time?: string | null;
  /** A separate zone column ("EST", "UTC", an IANA name). */
  zone?: string | null;
  /** Zone of a time written without one. */
  defaultZone: string;
}

/**
 * The instant a row was published, or the reason it has none. A date without any time becomes
 * the LAST instant of that day in its zone: a story must never look older than it is, or a
 * prediction could use it before it was written (DESIGN.md §5).
 */
export function parseTimestamp(parts: TimestampParts): Date | string {
  const text = parts.date.trim();
  if (!text) return "date is empty";
  if (/^\d{9,13}(\.\d+)?$/.test(text)) {
    // Unix epoch: 13 digits are milliseconds, fewer are seconds.
    const value = Number(text);
    return checked(new Date(text.split(".")[0].length >= 12 ? value : value * 1000), text);
  }
  const match = DATE_TIME.exec(text);
  if (!match) return `date ${JSON.stringify(text)} is not YYYY-MM-DD[ HH:MM[:SS]][zone]`;
  const [, y, mo, d, h, mi, s, fraction, zoneText] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || month < 1 || month > 12) {
    return `date ${JSON.stringify(text)} is not a calendar date`;
  }

  let clock: [number, number, number, number] | null = null;
  if (h !== undefined) {
    clock = [Number(h), Number(mi), Number(s ?? 0), fraction ? Number(`0.${fraction}`) * 1000 : 0];
  } else if (parts.time?.trim()) {
    const time = TIME.exec(parts.time.trim());
    if (!time) return `time ${JSON.stringify(parts.time)} is not HH:MM[:SS] [am|pm]`;
    let hour = Number(time[1]);
    if (time[4]) {
      if (hour < 1 || hour > 12) return `time ${JSON.stringify(parts.time)} is not a clock time`;
      hour = (hour % 12) + (/^p/i.test(time[4]) ? 12 : 0);
    }
    clock = [hour, Number(time[2]), Number(time[3] ?? 0), 0];
  }
  if (clock && (clock[0] > 23 || clock[1] > 59 || clock[2] > 59)) {
    return `time in ${JSON.stringify(text)} is not a clock time`;
  }

  let offsetMs: number | null = null;
  let zone = parts.defaultZone;
  const zoneName = zoneText ?? (parts.zone?.trim() || null);
  if (zoneName && /^[+-]\d{2}/.test(zoneName)) {
    const offset = /^([+-])(\d{2}):?(\d{2})?$/.exec(zoneName)!;
    offsetMs = (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3] ?? 0)) *
      60_000;
  } else if (zoneName) {
    const named = zoneFromName(zoneName);
    if (!named) return `time zone ${JSON.stringify(zoneName)} is unknown`;
    zone = named;
  }

  if (clock === null) {
    // The day's last millisecond: next midnight in the zone, minus one.
    const nextMidnight = Date.UTC(year, month - 1, day + 1);
    const end = offsetMs === null ? zonedToUtc(nextMidnight, zone) : nextMidnight - offsetMs;
    return checked(new Date(end - 1), text);
  }
  const wall = Date.UTC(year, month - 1, day, clock[0], clock[1], clock[2], clock[3]);
  return checked(new Date(offsetMs === null ? zonedToUtc(wall, zone) : wall - offsetMs), text);
}

function checked(instant: Date, text: string): Date | string {
  const time = instant.getTime();
  if (Number.isNaN(time) || time < Date.UTC(1900, 0, 1)) {
    return `date ${JSON.stringify(text)} is out of range`;
  }
  return instant;
}
