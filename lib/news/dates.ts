// Publication dates as feeds write them: RFC 822/1123 (RSS) and ISO 8601 (Atom, dc:date).
//
// A date text denotes an interval of possible instants, not always one instant: "2024-01-02" is
// any moment of that day somewhere on Earth, and "10:00" without a zone is 10:00 in any zone from
// UTC-12 to UTC+14. For point-in-time honesty (DESIGN.md §5) a feed date becomes the LATEST
// instant it can denote, capped at the moment we fetched the item (it existed by then): a news
// item must never look older than it is, or a prediction could "see" it before it was written.
// A date whose earliest reading is more than a day after the fetch is a publisher error and is
// unusable (null): the loader then falls back to fetched_at and flags published_at_estimated.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Zones are at most 14 hours ahead of UTC (Kiribati) and 12 behind (Baker Island). */
const MAX_AHEAD = 14 * HOUR;
const MAX_BEHIND = 12 * HOUR;

/** Dates before this are defaults of broken feeds (the 1970 epoch, year 1), not news. */
const EARLIEST_PLAUSIBLE = Date.UTC(1995, 0, 1);

/** Possible instants (epoch ms, inclusive) a date text denotes. */
export interface DateInterval {
  earliest: number;
  latest: number;
}

/** RFC 822 named zones plus a few seen in real finance feeds; minutes east of UTC. */
const NAMED_ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  // Not in RFC 822, but unambiguous and common in European and Asian feeds.
  BST: 60,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  JST: 540,
  HKT: 480,
  SGT: 480,
  AEST: 600,
  AEDT: 660,
};

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const WEEKDAYS = new Set(
  ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    .flatMap((name) => [name, name.slice(0, 3)])
    .concat(["tues", "thur", "thurs"]),
);

/**
 * Parses a feed date to the UTC instant we store (see the module comment): the latest instant
 * the text can denote, at most `fetchedAt`; null when absent, unparseable, implausibly old, or
 * more than a day after `fetchedAt`.
 */
export function parseFeedDate(text: string | null | undefined, fetchedAt: Date): Date | null {
  if (!text) return null;
  const interval = parseDateInterval(text);
  if (!interval) return null;
  const fetched = fetchedAt.getTime();
  if (interval.earliest > fetched + DAY) return null;
  const latest = Math.min(interval.latest, fetched);
  if (latest < EARLIEST_PLAUSIBLE) return null;
  return new Date(latest);
}

/** RFC 822/1123 or ISO 8601 text → the instants it can denote; null when it is neither. */
export function parseDateInterval(text: string): DateInterval | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  return parseIso8601(trimmed) ?? parseRfc822(trimmed);
}

// ---------------------------------------------------------------------------------- ISO 8601

const ISO = new RegExp(
  "^(\\d{4})(?:-(\\d{2})(?:-(\\d{2})" +
    "(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?)?)?)?$",
  "i",
);

/** ISO 8601 / W3C-DTF: "2024-01-02T10:00:00.123+01:00", "2024-01-02 10:00Z", "2024-01-02", "2024-01". */
export function parseIso8601(text: string): DateInterval | null {
  const match = ISO.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  if (mo === undefined) return calendarInterval(year, 1, 1, Date.UTC(year + 1, 0, 1));
  const month = Number(mo);
  if (month < 1 || month > 12) return null;
  if (d === undefined) return calendarInterval(year, month, 1, Date.UTC(year, month, 1));
  const day = Number(d);
  if (!validDay(year, month, day)) return null;
  if (h === undefined) {
    return calendarInterval(year, month, day, Date.UTC(year, month - 1, day + 1));
  }
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const wall = wallTime(year, month, day, Number(h), Number(mi), s === undefined ? 0 : Number(s));
  if (wall === null) return null;
  if (zone === undefined) return zoned(wall + millis, undefined);
  const offset = numericOffset(zone);
  return offset === null ? null : zoned(wall + millis, offset);
}

// ------------------------------------------------------------------------------- RFC 822/1123

/**
 * RFC 822/1123/2822 and the shapes real feeds produce: weekday missing or wrong (ignored), 2-digit
 * years, missing seconds, named or numeric zones, "GMT+0100", asctime order ("Jan 2 10:00 2024"),
 * a trailing "(UTC)" comment, am/pm.
 */
export function parseRfc822(text: string): DateInterval | null {
  const tokens = text.replace(/\([^)]*\)/g, " ").split(/[\s,]+/).filter(Boolean);
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let clock: [number, number, number] | undefined;
  let meridiem: "am" | "pm" | undefined;
  let offset: number | undefined; // undefined: no zone, or one we don't know
  const numbers: { value: number; digits: number; afterMonth: boolean }[] = [];

  for (const token of tokens) {
    const lower = token.toLowerCase().replace(/\.$/, "");
    const time = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(token);
    if (time) {
      clock = [Number(time[1]), Number(time[2]), time[3] === undefined ? 0 : Number(time[3])];
    } else if (/^\d{1,4}$/.test(token)) {
      numbers.push({ value: Number(token), digits: token.length, afterMonth: month !== undefined });
    } else if (lower === "am" || lower === "pm") {
      meridiem = lower;
    } else if (WEEKDAYS.has(lower)) {
      // The weekday is redundant and often wrong in real feeds: ignored.
    } else if (monthIndex(lower) !== undefined) {
      month = monthIndex(lower);
    } else if (/^(?:gmt|utc|ut)?[+-]\d{1,2}(?::?\d{2})?$/i.test(token)) {
      const minutes = numericOffset(token.replace(/^[a-z]+/i, ""));
      if (minutes === null) return null;
      offset = minutes;
    } else if (/^[a-z]{1,5}$/i.test(token)) {
      const minutes = NAMED_ZONES[token.toUpperCase()];
      // Military single letters other than Z are unreliable (RFC 2822 §4.3): an unknown zone.
      offset = minutes === undefined ? undefined : minutes * MINUTE;
    } else {
      return null;
    }
  }
  if (month === undefined || clock === undefined) return null;

  const fourDigit = numbers.find((n) => n.digits === 4);
  if (fourDigit) {
    year = fourDigit.value;
    day = numbers.find((n) => n !== fourDigit)?.value;
  } else if (numbers.length === 2) {
    // "02 Jan 24": day before the month, 2-digit year after it (RFC 2822 §4.3: 00-49 → 20xx).
    const [first, second] = numbers;
    day = first.value;
    year = second.value < 50 ? 2000 + second.value : 1900 + second.value;
  }
  if (numbers.length !== 2 || day === undefined || year === undefined) return null;
  if (!validDay(year, month, day)) return null;

  let [hour, minute, second] = clock;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  const wall = wallTime(year, month, day, hour, minute, second);
  if (wall === null) return null;
  return zoned(wall, offset);
}

// ------------------------------------------------------------------------------------ helpers

/** "jan", "january", "sept" → 1-based month; not "marching". */
function monthIndex(token: string): number | undefined {
  if (token.length < 3) return undefined;
  const index = MONTHS.findIndex((name) => name.startsWith(token));
  return index < 0 ? undefined : index + 1;
}

function validDay(year: number, month: number, day: number): boolean {
  if (day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The wall-clock reading as if it were UTC, or null when a field is out of range. */
function wallTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | null {
  if (hour > 23 || minute > 59 || second > 60) return null;
  // A leap second (":60") is kept inside its minute.
  return Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
}

/** "+05:30", "-0800", "+01", "Z" → milliseconds east of UTC; null when out of range. */
function numericOffset(zone: string): number | null {
  if (/^z$/i.test(zone)) return 0;
  const match = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return (match[1] === "-" ? -minutes : minutes) * MINUTE;
}

/** A wall time in a known zone is one instant; in an unknown zone, any of ~26 hours. */
function zoned(wall: number, offset: number | undefined): DateInterval {
  if (offset === undefined) {
    return { earliest: wall - MAX_AHEAD, latest: wall + MAX_BEHIND };
  }
  return { earliest: wall - offset, latest: wall - offset };
}

/** A day, month or year without a time: from its first moment at UTC+14 to its last at UTC-12. */
function calendarInterval(year: number, month: number, day: number, end: number): DateInterval {
  const start = Date.UTC(year, month - 1, day);
  return { earliest: start - MAX_AHEAD, latest: end - 1 + MAX_BEHIND };
}
