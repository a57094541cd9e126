// Loads a table's backup lines with batched INSERTs, through the app's own SQL port on both
// adapters (COPY FROM STDIN does not work through the embedded database's socket). The lines go
// to the server as one JSON array and every field is cast from its text to its column's type,
// which runs the type's own input function. jsonb, not json: `->>` on json re-reads the row's text
// for every column, which made a load twice as slow.
import type { ISql } from "postgres";
import { qualified, quoteIdent, type TableInfo } from "./catalog.ts";
import type { BackupTable } from "./header.ts";
import type { TableProgress } from "./progress.ts";

/** Text per INSERT: big enough to amortise a round trip, small enough for PGlite's memory. */
const BATCH_BYTES = 2 * 1024 * 1024;

/**
 * `insert … overriding system value select (r->>0)::type, … from jsonb_array_elements($1)`:
 * identity ids are kept as they were.
 */
function insertStatement(target: TableInfo, columns: readonly string[]): string {
  const types = new Map(target.columns.map((column) => [column.name, column.type]));
  const names = columns.map(quoteIdent).join(", ");
  const values = columns.map((name, index) => `(r->>${index})::${types.get(name)}`).join(", ");
  return `insert into ${qualified(target.name)} (${names}) overriding system value ` +
    `select ${values} from jsonb_array_elements($1::text::jsonb) r`;
}

export interface TableLoader {
  /** Whole backup lines, each ending with "\n". */
  add(data: Uint8Array): Promise<void>;
  /** Inserts what is left. */
  finish(): Promise<void>;
}

/** Loads `entry`'s rows into `target` (which has the same columns) through `tx`. */
export function tableLoader(
  tx: ISql,
  target: TableInfo,
  entry: BackupTable,
  progress: TableProgress,
  signal?: AbortSignal,
): TableLoader {
  const statement = insertStatement(target, entry.columns);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (!lines.length) return;
    signal?.throwIfAborted();
    await tx.unsafe(statement, [`[${lines.join(",")}]`]);
    progress.add(lines.length);
    lines = [];
    bytes = 0;
  };
  return {
    async add(data) {
      const text = decoder.decode(data);
      // The text ends with "\n", so the last piece is empty.
      for (const line of text.slice(0, -1).split("\n")) lines.push(line);
      bytes += data.length;
      if (bytes >= BATCH_BYTES) await flush();
    },
    finish: flush,
  };
}
