// A table's rows as backup lines: one JSON array per row holding each column's text form (null
// for NULL), in primary-key order. What a backup stores, and what a restore reads back to check.
//
// Why not COPY TO STDOUT: it streams through both adapters, but postgres.js 3.4 can leave the
// connection's socket paused when a COPY ends while its stream is full (porsager/postgres#499,
// fix pending in #1016), and the next query then hangs; it did, on the embedded database. A
// cursor fetched in batches has no such state. The text of every value is its type's own text
// form (`::text`), which a restore casts back with `::type`.
import { createHash } from "node:crypto";
import type { ISql } from "postgres";
import { qualified, quoteIdent, type TableInfo } from "./catalog.ts";

/** The line that ends each table's rows: row lines are JSON arrays and start with "[". */
export const END_OF_TABLE = "\\.";

/** Rows per FETCH: a few MB of text, which PGlite's memory takes in its stride. */
const FETCH_ROWS = 5_000;

/**
 * Settings that decide how values are written as text, pinned so that the same rows read the same
 * on every server (Postgres 15, PGlite's 18) whatever its defaults: a restore is checked by
 * comparing these texts.
 */
const TEXT_SETTINGS = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO, YMD'",
  "set local intervalstyle = 'postgres'",
  "set local extra_float_digits = 1",
  "set local bytea_output = 'hex'",
];

export async function pinTextSettings(tx: ISql): Promise<void> {
  for (const statement of TEXT_SETTINGS) await tx.unsafe(statement);
}

/** Every column as text, in primary-key order (text keys by byte: every server sorts alike). */
function rowsQuery(table: TableInfo): string {
  const columns = table.columns.map((column) => `${quoteIdent(column.name)}::text`).join(", ");
  const collatable = new Set(table.columns.filter((c) => c.collatable).map((c) => c.name));
  const order = table.primaryKey.length
    ? table.primaryKey.map((name) =>
      `${quoteIdent(name)}${collatable.has(name) ? ' collate "C"' : ""}`
    ).join(", ")
    : `t::text collate "C"`; // no key: the whole row's text decides
  return `select ${columns} from ${qualified(table.name)} t order by ${order}`;
}

/** Rows in a run of backup lines: one per "\n" (JSON escapes a newline inside a value). */
export function countLines(data: Uint8Array): number {
  let lines = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) lines++;
  return lines;
}

export interface ExportedTable {
  rows: number;
  sha256: string;
}

/**
 * Reads `table`'s rows as backup lines and passes them to `onLines` a batch at a time (whole
 * lines, each ending with "\n"), counting and hashing them. Run inside a transaction that called
 * `pinTextSettings`: the cursor lives until its end. Checks `signal` between batches.
 */
export async function exportTable(
  tx: ISql,
  table: TableInfo,
  onLines: (data: Uint8Array<ArrayBuffer>, rows: number) => Promise<void> | void,
  signal?: AbortSignal,
): Promise<ExportedTable> {
  const hash = createHash("sha256");
  const encoder = new TextEncoder();
  let rows = 0;
  await tx.unsafe(`declare craveny_backup no scroll cursor for ${rowsQuery(table)}`);
  try {
    while (true) {
      signal?.throwIfAborted();
      const batch = await tx.unsafe(`fetch forward ${FETCH_ROWS} from craveny_backup`).values();
      if (!batch.length) break;
      let text = "";
      for (const row of batch) text += `${JSON.stringify(row)}\n`;
      const data = encoder.encode(text);
      hash.update(data);
      rows += batch.length;
      await onLines(data, batch.length);
    }
  } finally {
    await tx.unsafe("close craveny_backup").catch(() => {}); // an aborted transaction has none
  }
  return { rows, sha256: hash.digest("hex") };
}
