// Instants in a time zone: the calendar date there (a daily bar is labelled by the exchange's local
// trading day, not by the UTC date of its timestamp), the zone's UTC offset, and a wall-clock time
// there as a UTC instant.

// One formatter per zone and purpose: building an Intl.DateTimeFormat costs more than formatting
// with it, and callers convert many instants through the same zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function cachedFormat(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let found = cache.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(timeZone, found);
  }
  return found;
}

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  // en-CA formats dates as YYYY-MM-DD.
  return cachedFormat(dateFormats, timeZone, "en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
}

/** Whether `name` is an IANA time zone this runtime knows ("America/New_York", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    dateFormat(name);
    return true;
  } catch {
    return false;
  }
}

/** The "YYYY-MM-DD" date in `timeZone` at `instantMs` (throws RangeError for an unknown zone). */
export function localDate(instantMs: number, timeZone: string): string {
  return dateFormat(timeZone).format(new Date(instantMs));
}

/** Minutes `timeZone` is ahead of UTC at `instantMs` (e.g. -240 for New York in summer). */
export function zoneOffsetMinutes(timeZone: string, instantMs: number): number {
  const format = cachedFormat(clockFormats, timeZone, "en-US", {
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const field: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instantMs))) {
    field[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    field.year,
    field.month - 1,
    field.day,
    field.hour,
    field.minute,
    field.second,
  );
  return Math.round((local - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock time in `timeZone` (`wallMs`: its fields read as if UTC) as a UTC instant,
 * DST-aware. The offset at the guessed instant is right except within a DST switch hour: a
 * skipped hour shifts forward.
 */
export function zonedToUtc(wallMs: number, timeZone: string): number {
  if (timeZone === "UTC") return wallMs;
  const first = zoneOffsetMinutes(timeZone, wallMs);
  return wallMs - zoneOffsetMinutes(timeZone, wallMs - first * 60_000) * 60_000;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The UTC calendar date at `instantMs`. */
export function utcDate(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 10);
}
