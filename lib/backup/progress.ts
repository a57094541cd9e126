// Progress of one table on stderr: quiet for small tables, a line a second for large ones.
import { formatCount, progressLine } from "../imports/progress.ts";

/** Receives progress lines (the tasks print them on stderr). */
export type ProgressSink = (line: string) => void;

/** A table is "large" once it has taken this long: only then are progress lines written. */
const QUIET_MS = 1_000;

export interface TableProgress {
  add(rows: number): void;
  /** The closing line, for tables that were large enough to report progress. */
  done(): void;
}

/**
 * Progress of `what` (e.g. "backup prediction"), at most one line per second; with `totalRows`
 * known (a restore) the line has a bar.
 */
export function tableProgress(
  sink: ProgressSink | undefined,
  what: string,
  totalRows?: number,
  now: () => number = () => performance.now(),
): TableProgress {
  const started = now();
  let rows = 0;
  let lastLine = started;
  let reported = false;
  const line = () => {
    const elapsedMs = now() - started;
    // The bar counts rows here: its "bytes" are the rows done, out of the rows expected.
    return `${what}: ${
      progressLine({ rows, bytes: rows, totalBytes: totalRows ?? null, elapsedMs })
    }`;
  };
  return {
    add(count) {
      rows += count;
      if (!sink) return;
      const at = now();
      if (at - started >= QUIET_MS && at - lastLine >= QUIET_MS) {
        lastLine = at;
        reported = true;
        sink(line());
      }
    },
    done() {
      if (sink && reported) sink(`${what}: done, ${formatCount(rows)} rows`);
    },
  };
}
