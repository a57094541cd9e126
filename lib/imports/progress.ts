// The import's progress line: a bar when the total size is known, always rows and rows/s.

export interface Progress {
  rows: number;
  bytes: number;
  /** File size, or null when unknown (a pipe). */
  totalBytes: number | null;
  elapsedMs: number;
}

const grouped = new Intl.NumberFormat("en-US");

/** Rows per second so far (0 before any time has passed). */
export function rowsPerSecond(rows: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round(rows / (elapsedMs / 1000)) : 0;
}

/** "[########------------]  40%  23,147 rows  11,574 rows/s" (the bar only with a known size). */
export function progressLine(progress: Progress, barWidth = 24): string {
  const counts = `${grouped.format(progress.rows)} rows  ${
    grouped.format(rowsPerSecond(progress.rows, progress.elapsedMs))
  } rows/s`;
  if (!progress.totalBytes) return counts;
  const share = Math.min(1, progress.bytes / progress.totalBytes);
  const filled = Math.round(share * barWidth);
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${percent}  ${counts}`;
}

/** Thousands separators, as in the progress line. */
export function formatCount(count: number): string {
  return grouped.format(count);
}
