// Checks a backup file end to end without touching a database: gzip integrity, the header, and
// every table's row count and sha-256 against the header.
import { createHash, type Hash } from "node:crypto";
import { readBackup } from "./backup_file.ts";
import { countLines } from "./table_rows.ts";
import { BackupError } from "./errors.ts";
import type { BackupHeader, BackupTable } from "./header.ts";
import { type ProgressSink, type TableProgress, tableProgress } from "./progress.ts";

/** How what was read of `table` differs from its header entry, or undefined if it does not. */
export function tableMismatch(
  table: BackupTable,
  found: { rows: number; sha256: string },
): string | undefined {
  if (found.rows !== table.rows) {
    return `table ${table.name} has ${found.rows} rows, its header says ${table.rows}`;
  }
  if (found.sha256 !== table.sha256) {
    return `the rows of table ${table.name} do not match the header's checksum`;
  }
  return undefined;
}

/** Reads the whole file; returns its header if every table checks out, throws BackupError if not. */
export async function verifyBackup(
  path: string,
  options: { signal?: AbortSignal; progress?: ProgressSink } = {},
): Promise<BackupHeader> {
  let header: BackupHeader | undefined;
  let current: { hash: Hash; rows: number; progress: TableProgress } | undefined;
  for await (const record of readBackup(path)) {
    options.signal?.throwIfAborted();
    if (record.kind === "header") {
      header = record.header;
      continue;
    }
    current ??= {
      hash: createHash("sha256"),
      rows: 0,
      progress: tableProgress(options.progress, `verify ${record.table.name}`, record.table.rows),
    };
    if (record.kind === "rows") {
      const lines = countLines(record.data);
      current.hash.update(record.data);
      current.rows += lines;
      current.progress.add(lines);
      continue;
    }
    const found = { rows: current.rows, sha256: current.hash.digest("hex") };
    current.progress.done();
    current = undefined;
    const mismatch = tableMismatch(record.table, found);
    if (mismatch) throw new BackupError(`${path} is corrupted: ${mismatch}`);
  }
  // readBackup throws unless the header and every table were there.
  return header!;
}
