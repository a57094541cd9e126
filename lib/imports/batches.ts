// The loop every CSV import shares: stream records, map the header, validate rows, hand them on
// in batches, and stop cleanly between batches when asked.
import type { Rejection } from "../net/fetched.ts";
import { parseCsv } from "./csv.ts";
import { HeaderError } from "./header.ts";

/** What every import takes besides the database and the file's bytes. */
export interface ImportOptions {
  /** The file's name: a file named after a ticker (AAPL.csv) needs no symbol column. */
  fileName: string;
  /** price_bar.source / the news publisher of rows without one; default `import:<file name>`. */
  source?: string;
  /** Rows per transaction; default 1,000. */
  batchSize?: number;
  signal?: AbortSignal;
  onReject?(rejection: Rejection): void;
  onProgress?(rows: number, bytes: number): void;
  /** The import's clock (tests). */
  now?: Date;
}

/** "import:<file name>" */
export function defaultSource(fileName: string): string {
  return `import:${fileName.split(/[\\/]/).pop()}`;
}

/** A valid row and the line it starts on. */
export interface Numbered<Row> {
  line: number;
  row: Row;
}

export interface BatchLoop<Columns, Row> {
  /** Maps the header record; throws HeaderError when the file is unusable. */
  header(fields: string[]): Columns;
  parse(fields: string[], columns: Columns): { row: Row } | { reason: string };
  /** Stores one batch (one transaction); may reject rows it cannot store. */
  store(rows: Numbered<Row>[]): Promise<void>;
  batchSize: number;
  /** Checked between batches: when aborted, the rows read since the last batch are dropped. */
  signal?: AbortSignal;
  onReject(rejection: Rejection): void;
  /** After every batch: records read so far (header excluded) and bytes read. */
  onProgress?(rows: number, bytes: number): void;
}

export interface BatchLoopResult {
  /** Data records read (header excluded). */
  rows: number;
  /** Rows refused by `parse` (`store` counts its own). */
  rejected: number;
  /** True when the signal stopped the import before the end of the file. */
  stopped: boolean;
}

/** Runs the loop over a byte stream; a file without a header record is a HeaderError. */
export async function runBatches<Columns, Row>(
  stream: ReadableStream<Uint8Array>,
  loop: BatchLoop<Columns, Row>,
): Promise<BatchLoopResult> {
  let bytes = 0;
  const counted = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  let columns: Columns | undefined;
  let batch: Numbered<Row>[] = [];
  const result: BatchLoopResult = { rows: 0, rejected: 0, stopped: false };
  const flush = async () => {
    if (batch.length) await loop.store(batch);
    batch = [];
    loop.onProgress?.(result.rows, bytes);
  };
  for await (const record of parseCsv(counted)) {
    if (columns === undefined) {
      columns = loop.header(record.fields);
      continue;
    }
    result.rows++;
    const parsed = loop.parse(record.fields, columns);
    if ("reason" in parsed) {
      result.rejected++;
      loop.onReject({ at: record.line, reason: parsed.reason });
    } else {
      batch.push({ line: record.line, row: parsed.row });
    }
    if (batch.length >= loop.batchSize) {
      // Leaving the loop cancels the file stream; committed batches stay.
      if (loop.signal?.aborted) return { ...result, stopped: true };
      await flush();
    }
  }
  if (columns === undefined) throw new HeaderError("the file is empty: no header line");
  if (loop.signal?.aborted) return { ...result, stopped: true };
  await flush();
  return result;
}
