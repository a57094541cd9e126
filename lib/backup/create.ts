// `deno task backup`: a logical export of every application table through the app's own SQL
// port, one code path for Postgres and the embedded PGlite alike.
//
// Why this format rather than pg_dump: the embedded database is PGlite (Postgres 18 in WASM
// behind a socket) and the pg_dump 15 that ships with the Postgres 15 tools refuses it ("server
// version mismatch"); a pg_dump path would also need a second restore path for PGlite. Rows as
// the text form of each value are what both servers read and write, so one file restores into
// either adapter (an embedded backup into production Postgres, and back). The schema is not in
// the file: the migrations build it, and the header records them by version and checksum. The
// header (header.ts) also carries each table's row count and sha-256, so a restore checks the
// whole file before loading and the loaded tables after. gzip keeps it small; `zcat` reads it.
import { join } from "node:path";
import type { ISql } from "postgres";
import { gzip } from "../archive/gzip.ts";
import type { Database } from "../db/port.ts";
import { appliedMigrations, hasSchema, readCatalog, type TableInfo } from "./catalog.ts";
import { BackupError } from "./errors.ts";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type BackupHeader,
  type BackupSequence,
  type BackupTable,
} from "./header.ts";
import { type ProgressSink, tableProgress } from "./progress.ts";
import { backupFileName, pruneBackups } from "./retention.ts";
import { END_OF_TABLE, exportTable, pinTextSettings } from "./table_rows.ts";

export interface BackupOptions {
  /** BACKUP_DIR: created if missing. */
  dir: string;
  /** BACKUP_KEEP: backups kept after this one is written. */
  keep: number;
  /** Stops the backup at its next batch of rows; nothing is left behind. */
  signal?: AbortSignal;
  progress?: ProgressSink;
  /** The backup's timestamp; default now. */
  now?: Date;
}

export interface BackupResult {
  path: string;
  bytes: number;
  ms: number;
  tables: number;
  rows: number;
  /** Older backups deleted by retention. */
  deleted: string[];
}

async function sequencePositions(tx: ISql, table: TableInfo): Promise<BackupSequence[]> {
  const positions: BackupSequence[] = [];
  for (const column of table.columns) {
    if (!column.sequence) continue;
    // Sequences are not transactional: this is at least the snapshot's highest id, which is all
    // a restore needs (it never hands out an id the source already used).
    const [{ last_value, is_called }] = await tx.unsafe<
      { last_value: number; is_called: boolean }[]
    >(
      `select last_value, is_called from ${column.sequence}`,
    );
    positions.push({ column: column.name, lastValue: is_called ? last_value : null });
  }
  return positions;
}

/**
 * Writes straight to `file`: Deno's own `file.writable` holds data back until it is closed, and
 * the spool and the backup stay open across several writes.
 */
function fileSink(file: Deno.FsFile): WritableStream<Uint8Array> {
  return new WritableStream({
    async write(chunk) {
      for (let written = 0; written < chunk.length;) {
        written += await file.write(chunk.subarray(written));
      }
    },
  });
}

/** Appends `table`'s rows and end line to `spool` as one gzip member; returns its header entry. */
async function spoolTable(
  tx: ISql,
  table: TableInfo,
  spool: Deno.FsFile,
  options: BackupOptions,
): Promise<BackupTable> {
  const sequences = await sequencePositions(tx, table);
  const progress = tableProgress(options.progress, `backup ${table.name}`);
  const compressor = new CompressionStream("gzip");
  const piping = compressor.readable.pipeTo(fileSink(spool));
  const writer = compressor.writable.getWriter();
  try {
    const exported = await exportTable(tx, table, async (data, rows) => {
      await writer.write(data);
      progress.add(rows);
    }, options.signal);
    await writer.write(new TextEncoder().encode(`${END_OF_TABLE}\n`));
    await writer.close();
    await piping;
    progress.done();
    return {
      name: table.name,
      columns: table.columns.map((column) => column.name),
      rows: exported.rows,
      sha256: exported.sha256,
      sequences,
    };
  } catch (error) {
    await writer.abort(error).catch(() => {});
    await piping.catch(() => {});
    throw error;
  }
}

/** Every table into `spool`, from one consistent snapshot; returns the header describing it. */
function spoolDatabase(
  db: Database,
  spool: Deno.FsFile,
  createdAt: Date,
  options: BackupOptions,
): Promise<BackupHeader> {
  // Repeatable read: every table as of one instant, so foreign keys hold across the file.
  return db.sql.begin("isolation level repeatable read read only", async (tx) => {
    await pinTextSettings(tx);
    if (!(await hasSchema(tx))) {
      throw new BackupError(
        "the database has no schema yet (no schema_migration table): nothing to back up",
      );
    }
    const migrations = await appliedMigrations(tx);
    const [{ server_version }] = await tx<{ server_version: string }[]>`show server_version`;
    const tables: BackupTable[] = [];
    for (const table of await readCatalog(tx)) {
      tables.push(await spoolTable(tx, table, spool, options));
    }
    return {
      format: BACKUP_FORMAT,
      version: BACKUP_FORMAT_VERSION,
      createdAt: createdAt.toISOString(),
      source: { kind: db.kind, serverVersion: server_version },
      migrations,
      tables,
    };
  });
}

async function removeIfPresent(path: string): Promise<void> {
  await Deno.remove(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/**
 * Writes `craveny-<timestamp>.backup` into `options.dir`, then deletes backups beyond
 * `options.keep`. The data goes to temporary files first and the backup appears under its name
 * only once complete and fsync'd: an interrupted or failed run leaves no file that looks like a
 * backup. Throws `BackupError` for what the operator must fix.
 */
export async function createBackup(db: Database, options: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const createdAt = options.now ?? new Date();
  try {
    await Deno.mkdir(options.dir, { recursive: true });
  } catch (error) {
    throw new BackupError(
      `backup directory ${options.dir} can't be created: ${(error as Error).message}`,
    );
  }
  const name = backupFileName(createdAt);
  const path = join(options.dir, name);
  const temporary = join(options.dir, `.${name}.${Deno.pid}.tmp`);
  const spoolPath = `${temporary}.data`;
  const open: Deno.FsFile[] = [];
  let header: BackupHeader;
  try {
    const spool = await Deno.open(spoolPath, { createNew: true, read: true, write: true });
    open.push(spool);
    header = await spoolDatabase(db, spool, createdAt, options);
    const file = await Deno.open(temporary, { createNew: true, write: true });
    open.push(file);
    // The header goes first (a restore reads it before anything else), as its own gzip member;
    // the tables' members follow as they were spooled, without compressing them again.
    const sink = fileSink(file);
    const writer = sink.getWriter();
    await writer.write(await gzip(new TextEncoder().encode(`${JSON.stringify(header)}\n`)));
    writer.releaseLock();
    await spool.seek(0, Deno.SeekMode.Start);
    await spool.readable.pipeTo(sink, { signal: options.signal });
    await file.sync();
    // A link fails if the name exists: never replace another backup.
    await Deno.link(temporary, path).catch((error) => {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      throw new BackupError(`${path} already exists: run the backup again`);
    });
    const directory = await Deno.open(options.dir, { read: true });
    await directory.sync().finally(() => directory.close());
  } finally {
    for (const file of open) {
      try {
        file.close();
      } catch {
        // already closed by its stream
      }
    }
    await removeIfPresent(temporary);
    await removeIfPresent(spoolPath);
  }
  const { size } = await Deno.stat(path);
  const deleted = await pruneBackups(options.dir, options.keep);
  return {
    path,
    bytes: size,
    ms: performance.now() - started,
    tables: header.tables.length,
    rows: header.tables.reduce((sum, table) => sum + table.rows, 0),
    deleted,
  };
}
