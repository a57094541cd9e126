// Calendar dates of instants in an exchange's time zone: a daily bar is labelled by the exchange's
// local trading day, not by the UTC date of its timestamp.

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let found = formats.get(timeZone);
  if (!found) {
    // en-CA formats dates as YYYY-MM-DD.
    found = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formats.set(timeZone, found);
  }
  return found;
}

/** Whether `name` is an IANA time zone this runtime knows ("America/New_York", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    format(name);
    return true;
  } catch {
    return false;
  }
}

/** The "YYYY-MM-DD" date in `timeZone` at `instantMs` (throws RangeError for an unknown zone). */
export function localDate(instantMs: number, timeZone: string): string {
  return format(timeZone).format(new Date(instantMs));
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
