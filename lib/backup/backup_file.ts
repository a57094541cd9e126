// Reading a backup file: gzip members (a header, then one per table) that decompress to one text:
//
//   {"format":"craveny-backup","version":1,…}     the header (header.ts), one JSON line
//   <rows of the header's first table>           a JSON array per row (table_rows.ts)
//   \.                                           end of that table
//   <rows of the next table>
//   \.
//   …                                            nothing after the last table's `\.`
//
// `zcat FILE | head -1` shows the header. gzip's own CRC catches most damage; the header's
// per-table row counts and sha-256 catch the rest (verify.ts).
import { Buffer } from "node:buffer";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { BackupError } from "./errors.ts";
import { type BackupHeader, type BackupTable, parseHeader } from "./header.ts";
import { END_OF_TABLE } from "./table_rows.ts";

export type BackupRecord =
  | { kind: "header"; header: BackupHeader }
  /** Whole data lines of `table`, each ending with "\n"; valid until the next record is read. */
  | { kind: "rows"; table: BackupTable; data: Uint8Array }
  | { kind: "end"; table: BackupTable };

/** A header line longer than this means the file is something else. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

const END_LINE = Buffer.from(`${END_OF_TABLE}\n`);
const NEWLINE_END_LINE = Buffer.from(`\n${END_OF_TABLE}\n`);

/** The file exists, is a file and has something in it; BackupError otherwise. */
async function checkBackupPath(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new BackupError(`${path}: no such file`);
    throw new BackupError(`${path} can't be read: ${(error as Error).message}`);
  }
  if (!info.isFile) throw new BackupError(`${path} is not a file`);
  if (info.size === 0) throw new BackupError(`${path} is empty`);
}

function gzipProblem(error: unknown, path: string, started: boolean): BackupError {
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end of file/i.test(message)) {
    return new BackupError(`${path} is truncated: it ends in the middle of its data`);
  }
  if (!started && /incorrect header check|unknown compression method/i.test(message)) {
    return new BackupError(`${path} is not a Craveny backup (not gzip data)`);
  }
  return new BackupError(`${path} is corrupted (${message})`, { cause: error });
}

/** The decompressed bytes of `path`, gzip errors turned into BackupErrors. */
async function* decompressed(path: string): AsyncGenerator<Buffer> {
  const source = createReadStream(path);
  const gunzip = createGunzip();
  source.on("error", (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let started = false;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      started = true;
      yield chunk;
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw gzipProblem(error, path, started);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/** Where the `\.` line ending the current table starts in `buffer` (which starts a line), or -1. */
function endOfTable(buffer: Buffer<ArrayBufferLike>): number {
  if (buffer.subarray(0, END_LINE.length).equals(END_LINE)) return 0;
  const at = buffer.indexOf(NEWLINE_END_LINE);
  return at === -1 ? -1 : at + 1;
}

/**
 * The records of a backup file in order: its header, then each table's rows and end. Throws
 * `BackupError` for a missing, non-gzip, truncated or corrupted file, a bad header, or data that
 * does not fit the header's table list. Row contents are not checked here (see verify.ts).
 */
export async function* readBackup(path: string): AsyncGenerator<BackupRecord> {
  await checkBackupPath(path);
  let header: BackupHeader | undefined;
  let next = 0; // index of the table whose rows come next
  let buffer: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  for await (const chunk of decompressed(path)) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    if (!header) {
      const newline = buffer.indexOf(10);
      if (newline === -1) {
        if (buffer.length > MAX_HEADER_BYTES) {
          throw new BackupError(`${path} is not a Craveny backup (its header is missing)`);
        }
        continue;
      }
      header = parseHeader(buffer.toString("utf8", 0, newline), path);
      yield { kind: "header", header };
      buffer = buffer.subarray(newline + 1);
    }
    while (buffer.length) {
      const table = header.tables[next];
      if (!table) throw new BackupError(`${path} is corrupted: it has data after its last table`);
      const end = endOfTable(buffer);
      if (end === -1) {
        // Whole lines go out now; a partial last line (or a partial `\.`) waits for more data.
        const lastNewline = buffer.lastIndexOf(10);
        if (lastNewline !== -1) {
          yield { kind: "rows", table, data: buffer.subarray(0, lastNewline + 1) };
          buffer = buffer.subarray(lastNewline + 1);
        }
        break;
      }
      if (end > 0) yield { kind: "rows", table, data: buffer.subarray(0, end) };
      yield { kind: "end", table };
      buffer = buffer.subarray(end + END_LINE.length);
      next++;
    }
  }
  if (!header) throw new BackupError(`${path} is not a Craveny backup (its header is missing)`);
  if (next < header.tables.length) {
    throw new BackupError(
      `${path} is truncated: it ends inside table ${header.tables[next].name}`,
    );
  }
}
