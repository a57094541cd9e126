/** An instant to the minute, in UTC: "2024-03-04 21:00 UTC". */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A machine-readable <time> showing `formatUtc`. */
export function UtcTime({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatUtc(date)}</time>;
}
