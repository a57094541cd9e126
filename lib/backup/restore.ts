// `deno task restore FILE`: a backup (create.ts) into an empty database. Order of work:
//   1. the whole file is checked against its header before the database is even opened;
//   2. the schema is built by this code's migrations up to the backup's schema version (a backup
//      newer than the code, or made with different migration files, is refused);
//   3. every table is loaded in ONE transaction, which also checks the database is still empty,
//      sets foreign keys and indexes aside and puts them back after the load (set_aside.ts),
//      reads every table back and compares it with the header, and moves the identity sequences
//      past the restored ids: any failure rolls all of it back;
//   4. the remaining migrations run, bringing an older backup up to this code's schema.
import { join } from "node:path";
import type { ISql } from "postgres";
import { migrate, MIGRATIONS_DIR } from "../db/migrate.ts";
import { type Migration, readMigrations } from "../db/migration_files.ts";
import type { Database } from "../db/port.ts";
import type { Logger } from "../log.ts";
import { readBackup } from "./backup_file.ts";
import {
  appliedMigrations,
  firstNonEmptyTable,
  qualified,
  quoteIdent,
  readCatalog,
  type TableInfo,
} from "./catalog.ts";
import { BackupError } from "./errors.ts";
import { type BackupHeader, type BackupTable, schemaVersion } from "./header.ts";
import { type TableLoader, tableLoader } from "./load.ts";
import { type ProgressSink, type TableProgress, tableProgress } from "./progress.ts";
import { setAsideKeysAndIndexes } from "./set_aside.ts";
import { exportTable, pinTextSettings } from "./table_rows.ts";
import { tableMismatch, verifyBackup } from "./verify.ts";

export interface RestoreOptions {
  log: Logger;
  /**
   * Stops the restore at its next check (the load rolls back); once the load has committed the
   * restore finishes instead, so a database never holds rows at an older schema version.
   */
  signal?: AbortSignal;
  progress?: ProgressSink;
}

export interface RestoreResult {
  header: BackupHeader;
  tables: number;
  rows: number;
  /** Migrations applied after the load, from the backup's schema version to this code's. */
  migratedForward: string[];
  ms: number;
}

/** How to get a database restore accepts, for the refusals. */
const GET_AN_EMPTY_DATABASE = "restore only loads into an empty database: create a new one " +
  "(Postgres: createdb, then point DATABASE_URL at it; embedded: point DATA_DIR at a new " +
  "directory) and restore before starting Craveny on it, since start-up adds stocks and models";

/** The code's migrations up to the backup's version; refuses a backup they don't match. */
function migrationsFor(path: string, header: BackupHeader, code: Migration[]): Migration[] {
  const version = schemaVersion(header);
  const latest = code.at(-1)?.version ?? 0;
  if (version > latest) {
    throw new BackupError(
      `${path} was made at schema version ${version}, but this code's migrations end at ` +
        `${latest}: upgrade Craveny, then restore`,
    );
  }
  const wanted = code.filter((migration) => migration.version <= version);
  const recorded = new Map(header.migrations.map((migration) => [migration.version, migration]));
  for (const migration of wanted) {
    const made = recorded.get(migration.version);
    if (made?.checksum !== migration.checksum) {
      const which = made ? "a different" : "no";
      const checksum = migration.checksum.slice(0, 12);
      throw new BackupError(
        `${path} was made with ${which} migration ${migration.file} (this code's checksum ` +
          `${checksum}…): restore it with the Craveny release that made it`,
      );
    }
    recorded.delete(migration.version);
  }
  const unknown = [...recorded.keys()];
  if (unknown.length) {
    throw new BackupError(
      `${path} was made with migration versions ${unknown.join(", ")}, which this code does not ` +
        "have: restore it with the Craveny release that made it",
    );
  }
  return wanted;
}

/** Runs exactly `migrations` (copied aside so that the later ones are not applied yet). */
async function migrateTo(db: Database, log: Logger, migrations: Migration[]): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "craveny-restore-migrations-" });
  try {
    for (const migration of migrations) {
      await Deno.writeTextFile(join(dir, migration.file), migration.sql);
    }
    await migrate(db, log, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Refuses a target that holds rows or has a newer schema than the backup's. */
async function checkTarget(db: Database, header: BackupHeader): Promise<void> {
  const applied = await appliedMigrations(db.sql);
  const targetVersion = applied.at(-1)?.version ?? 0;
  if (targetVersion > schemaVersion(header)) {
    throw new BackupError(
      `the target database is at schema version ${targetVersion}, newer than the backup's ` +
        `${schemaVersion(header)}; ${GET_AN_EMPTY_DATABASE}`,
    );
  }
  const busy = await firstNonEmptyTable(db.sql, await readCatalog(db.sql));
  if (busy) {
    throw new BackupError(
      `the target database is not empty (table ${busy} has rows); ${GET_AN_EMPTY_DATABASE}`,
    );
  }
}

/** The target's tables by name, checked to be exactly the backup's tables and columns. */
function matchSchema(path: string, header: BackupHeader, catalog: TableInfo[]) {
  const targets = new Map(catalog.map((table) => [table.name, table]));
  const unmatched = new Map(targets);
  for (const entry of header.tables) {
    const target = targets.get(entry.name);
    const columns = target?.columns.map((column) => column.name).join(",");
    if (columns !== entry.columns.join(",")) {
      throw new BackupError(
        `${path} does not fit the schema its migrations build here: table ${entry.name} ` +
          (target ? "has other columns" : "is missing"),
      );
    }
    unmatched.delete(entry.name);
  }
  const extra = [...unmatched.keys()];
  if (extra.length) {
    throw new BackupError(
      `${path} does not fit the schema its migrations build here: it has no table ${extra[0]}`,
    );
  }
  return targets;
}

/** Moves each identity sequence past both the restored ids and where it stood at the backup. */
async function advanceSequences(tx: ISql, target: TableInfo, entry: BackupTable): Promise<void> {
  for (const { column, lastValue } of entry.sequences) {
    const sequence = target.columns.find((candidate) => candidate.name === column)?.sequence;
    if (!sequence) continue;
    await tx.unsafe(
      `select setval($1::regclass, v, true) from (
         select greatest(coalesce(max(${quoteIdent(column)}), 0), $2::bigint) as v
         from ${qualified(target.name)}) s
       where v > 0`,
      [sequence, lastValue ?? 0],
    );
  }
}

/** Loads every table, checks it and sets the sequences, all in one transaction. */
function load(
  db: Database,
  path: string,
  header: BackupHeader,
  targets: Map<string, TableInfo>,
  options: RestoreOptions,
): Promise<void> {
  return db.sql.begin(async (tx) => {
    await pinTextSettings(tx);
    // Nobody writes while the load runs, and the emptiness check holds until commit.
    await tx.unsafe(
      `lock table ${[...targets.keys()].map(qualified).join(", ")} in access exclusive mode`,
    );
    const busy = await firstNonEmptyTable(tx, [...targets.values()]);
    if (busy) {
      throw new BackupError(
        `the target database is not empty (table ${busy} has rows); ${GET_AN_EMPTY_DATABASE}`,
      );
    }
    const setAside = await setAsideKeysAndIndexes(tx);
    let loader: TableLoader | undefined;
    let progress: TableProgress | undefined;
    for await (const record of readBackup(path)) {
      if (record.kind === "header") continue;
      const { table } = record;
      if (!loader || !progress) {
        progress = tableProgress(options.progress, `restore ${table.name}`, table.rows);
        loader = tableLoader(tx, targets.get(table.name)!, table, progress, options.signal);
      }
      try {
        if (record.kind === "rows") {
          await loader.add(record.data);
          continue;
        }
        await loader.finish();
      } catch (error) {
        if (error instanceof BackupError || options.signal?.aborted) throw error;
        throw new BackupError(
          `restoring table ${table.name} failed: ${(error as Error).message}; nothing was restored`,
          { cause: error },
        );
      }
      progress.done();
      loader = progress = undefined;
    }
    try {
      await setAside.restore();
    } catch (error) {
      throw new BackupError(
        `restoring the indexes and foreign keys failed: ${(error as Error).message}; ` +
          "nothing was restored",
        { cause: error },
      );
    }
    for (const entry of header.tables) {
      const exported = await exportTable(tx, targets.get(entry.name)!, () => {}, options.signal);
      const mismatch = tableMismatch(entry, exported);
      if (mismatch) {
        throw new BackupError(
          `the restored database reads back differently from ${path}: ${mismatch}; ` +
            "nothing was restored",
        );
      }
    }
    // Last: setval is not transactional, so it runs once nothing else can fail.
    for (const entry of header.tables) {
      await advanceSequences(tx, targets.get(entry.name)!, entry);
    }
  });
}

/** A backup file that was checked end to end and fits this code's migrations. */
export interface RestorePlan {
  path: string;
  header: BackupHeader;
  /** This code's migrations up to the backup's schema version. */
  migrations: Migration[];
}

/**
 * Checks the file at `path` (gzip, header, every table's rows) and that this code can rebuild its
 * schema, without touching a database. Throws `BackupError` with one operator-readable line.
 */
export async function planRestore(
  path: string,
  options: Pick<RestoreOptions, "signal" | "progress"> = {},
): Promise<RestorePlan> {
  const header = await verifyBackup(path, options);
  const migrations = migrationsFor(path, header, await readMigrations(MIGRATIONS_DIR));
  return { path, header, migrations };
}

/**
 * Restores a planned backup into `db`, which must hold no rows. Throws `BackupError` with one
 * operator-readable line when the target is refused or the load fails (nothing is then loaded).
 */
export async function restoreBackup(
  db: Database,
  plan: RestorePlan,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const started = performance.now();
  const { path, header } = plan;
  await checkTarget(db, header);
  options.signal?.throwIfAborted();
  await migrateTo(db, options.log, plan.migrations);
  options.signal?.throwIfAborted();
  const targets = matchSchema(path, header, await readCatalog(db.sql));
  await load(db, path, header, targets, options);
  const { applied } = await migrate(db, options.log);
  return {
    header,
    tables: header.tables.length,
    rows: header.tables.reduce((sum, table) => sum + table.rows, 0),
    migratedForward: applied,
    ms: performance.now() - started,
  };
}
