// Applies pending migrations, each in its own transaction together with its schema_migration row.
import type { Logger } from "../log.ts";
import { MigrationError, reasonOf } from "./errors.ts";
import { type Migration, readMigrations } from "./migration_files.ts";
import type { Database } from "./port.ts";

export const MIGRATIONS_DIR = new URL("../../migrations/", import.meta.url);

/** Advisory lock key (an arbitrary constant) that serialises migrators across processes. */
const MIGRATION_LOCK = 72_617_118_001;

interface AppliedRow {
  version: number;
  checksum: string;
}

/** "relation x does not exist (line 12)": the server's message located in the file. */
function describeSqlError(error: unknown, sql: string): string {
  let text = reasonOf(error);
  if (error && typeof error === "object") {
    const position = "position" in error ? Number(error.position) : NaN;
    if (Number.isInteger(position) && position > 0) {
      text += ` (line ${sql.slice(0, position - 1).split("\n").length})`;
    }
    if ("detail" in error && error.detail) text += `: ${reasonOf(error.detail)}`;
  }
  return text;
}

/** Refuses to go on when an applied migration's file no longer matches what was applied. */
function verifyApplied(rows: AppliedRow[], migrations: Migration[], unknown: Set<number>) {
  for (const row of rows) {
    const migration = migrations.find((candidate) => candidate.version === row.version);
    if (!migration) {
      unknown.add(row.version);
    } else if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${migration.file} was changed after it was applied (checksum ` +
          `${row.checksum.slice(0, 12)}… is now ${migration.checksum.slice(0, 12)}…): restore ` +
          "it and put the change in a new migration",
        migration.file,
      );
    }
  }
}

/** Applies at most one pending migration; returns it, or undefined when none is left. */
function applyNext(db: Database, migrations: Migration[], unknown: Set<number>) {
  return db.sql.begin(async (tx) => {
    // Held until commit: a second process waits here, then sees this one's work.
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`
      create table if not exists schema_migration (
        version integer primary key check (version > 0),
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const rows = await tx<AppliedRow[]>`
      select version, checksum from schema_migration order by version`;
    verifyApplied(rows, migrations, unknown);
    const done = new Set(rows.map((row) => row.version));
    const next = migrations.find((migration) => !done.has(migration.version));
    if (!next) return undefined;
    try {
      // Simple-query protocol (no parameters): a file may hold many statements.
      await tx.unsafe(next.sql);
    } catch (error) {
      throw new MigrationError(
        `migration ${next.file} failed: ${describeSqlError(error, next.sql)}; ` +
          "nothing from it was applied",
        next.file,
        { cause: error },
      );
    }
    await tx`
      insert into schema_migration (version, name, checksum)
      values (${next.version}, ${next.name}, ${next.checksum})`;
    return next;
  });
}

/**
 * Brings the schema up to date with the `NNNN_name.sql` files in `dir`. Re-running is a no-op.
 * Migrations run inside a transaction, so they must not contain BEGIN/COMMIT or statements
 * that refuse to run in one (CREATE INDEX CONCURRENTLY).
 */
export async function migrate(
  db: Database,
  log: Logger,
  dir: string | URL = MIGRATIONS_DIR,
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(dir);
  const applied: string[] = [];
  const unknown = new Set<number>();
  for (let next = await applyNext(db, migrations, unknown); next;) {
    applied.push(next.file);
    log.debug("migration applied", { migration: next.file });
    next = await applyNext(db, migrations, unknown);
  }
  if (unknown.size) {
    // Newer code migrated this database; older code may still run against the shared part.
    log.warn("the database has migrations this code does not know", { versions: [...unknown] });
  }
  return { applied };
}
