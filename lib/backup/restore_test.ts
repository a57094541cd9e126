// Backup and restore against real databases (DATABASE_URL's server when set, else embedded
// PGlite): a database filled through the app's own code round-trips, compared table by table with
// plain SQL; bad files and unfit targets are refused with one line and leave nothing half-done.
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ISql } from "postgres";
import { migrate, MIGRATIONS_DIR } from "../db/migrate.ts";
import { readMigrations } from "../db/migration_files.ts";
import { createLogger } from "../log.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { createBackup } from "./create.ts";
import { BackupError } from "./errors.ts";
import { planRestore, restoreBackup } from "./restore.ts";
import {
  type BackupContents,
  fingerprint,
  KEY_TABLES,
  rewriteBackup,
  schemaShape,
  seedLikeTheApp,
} from "./test_support.ts";

const quiet = createLogger("error", () => {});
const CODE_MIGRATIONS = await readMigrations(MIGRATIONS_DIR);
const LATEST = CODE_MIGRATIONS.at(-1)!.version;

/** `planRestore` of `path` fails with one BackupError line matching `pattern`. */
async function refused(path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(planRestore(path), (error: Error) => {
    assert.ok(error instanceof BackupError, `${error.name}: ${error.message}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

/** Rows in every table but the migrations'. */
async function totalRows(sql: ISql): Promise<number> {
  const { rows } = await fingerprint(sql);
  return Object.entries(rows)
    .filter(([name]) => name !== "schema_migration")
    .reduce((sum, [, count]) => sum + count, 0);
}

/** The index of `column` in a table's lines, from the header. */
function columnOf(contents: BackupContents, table: string, column: string): number {
  const index = contents.header.tables.find((entry) => entry.name === table)!.columns
    .indexOf(column);
  assert.ok(index >= 0, `${table}.${column}`);
  return index;
}

/** Replaces field `column` of the first row of `table` with `value`. */
function setField(contents: BackupContents, table: string, column: string, value: string) {
  const rows = contents.tables.get(table)!;
  const fields = JSON.parse(rows[0]);
  fields[columnOf(contents, table, column)] = value;
  rows[0] = JSON.stringify(fields);
}

Deno.test("backup and restore of a database filled by the app", async (t) => {
  await using source = await openTestDatabase();
  await using data = await tempDir("craveny-backup-data-");
  await using dir = await tempDir("craveny-backups-");
  await seedLikeTheApp(source, { dataDir: data.path });
  const before = await fingerprint(source.sql);
  for (const table of KEY_TABLES) assert.ok(before.rows[table] > 0, `${table} was seeded`);
  const backup = await createBackup(source, { dir: dir.path, keep: 10 });
  assert.equal(backup.rows, await totalRows(source.sql));

  await t.step("round-trips into an empty database, ids and sequences included", async () => {
    await using target = await openTestDatabase({ migrate: false });
    const result = await restoreBackup(target, await planRestore(backup.path), { log: quiet });
    assert.deepEqual(await fingerprint(target.sql), before);
    assert.deepEqual(await schemaShape(target.sql), await schemaShape(source.sql));
    assert.deepEqual(result.migratedForward, []);
    assert.equal(result.rows, backup.rows);
    const versions = (sql: ISql) =>
      sql`select version, name, checksum from schema_migration order by version`;
    assert.deepEqual(await versions(target.sql), await versions(source.sql));
    // New rows get ids past every restored one.
    for (const table of ["stock", "prediction", "job_run", "session"]) {
      const [{ next, max }] = await target.sql.unsafe<{ next: number; max: number }[]>(
        `select nextval(pg_get_serial_sequence('${table}', 'id')) as next,
          (select max(id) from ${table}) as max`,
      );
      assert.ok(next > max, `${table}: next id ${next} after ${max}`);
    }
  });

  const acrossAdapters = source.kind === "postgres";
  if (!acrossAdapters) {
    console.log("skipped: restoring across adapters needs DATABASE_URL (a Postgres server)");
  }
  await t.step({
    name: "restores across adapters (Postgres ↔ embedded)",
    ignore: !acrossAdapters,
    fn: async () => {
      await using embedded = await openTestDatabase({ embedded: true, migrate: false });
      await restoreBackup(embedded, await planRestore(backup.path), { log: quiet });
      assert.deepEqual(await fingerprint(embedded.sql), before, "Postgres → embedded");
      await using again = await tempDir("craveny-backups-embedded-");
      const fromEmbedded = await createBackup(embedded, { dir: again.path, keep: 1 });
      await using postgres = await openTestDatabase({ migrate: false });
      await restoreBackup(postgres, await planRestore(fromEmbedded.path), { log: quiet });
      assert.deepEqual(await fingerprint(postgres.sql), before, "embedded → Postgres");
    },
  });

  await t.step("a database with rows is refused and left as it was", async () => {
    await assert.rejects(
      restoreBackup(source, await planRestore(backup.path), { log: quiet }),
      /the target database is not empty \(table \w+ has rows\); restore only loads into an empty database: create a new one/,
    );
    assert.deepEqual(await fingerprint(source.sql), before);
  });

  await t.step("bad files are refused before a database is touched", async () => {
    const bad = (name: string) => join(dir.path, name);
    await refused(bad("missing.backup"), /missing\.backup: no such file$/);
    await refused(dir.path, /is not a file$/);
    await Deno.writeTextFile(bad("text.backup"), "not gzip at all\n");
    await refused(bad("text.backup"), /text\.backup is not a Craveny backup \(not gzip data\)$/);
    await rewriteBackup(backup.path, bad("other.backup"), (contents) => {
      Object.assign(contents.header, { format: "something-else" });
    });
    await refused(bad("other.backup"), /is not a Craveny backup \(its header is missing\)$/);

    const bytes = await Deno.readFile(backup.path);
    await Deno.writeFile(bad("truncated.backup"), bytes.subarray(0, bytes.length / 2));
    await refused(bad("truncated.backup"), /truncated\.backup is truncated/);
    const flipped = bytes.slice();
    flipped[flipped.length - 6] ^= 0xff; // the last member's CRC-32
    await Deno.writeFile(bad("crc.backup"), flipped);
    await refused(bad("crc.backup"), /crc\.backup is corrupted \(incorrect data check\)$/);

    await rewriteBackup(backup.path, bad("edited.backup"), (contents) => {
      setField(contents, "prediction", "reasoning", "changed after the backup");
    });
    await refused(
      bad("edited.backup"),
      /edited\.backup is corrupted: the rows of table prediction do not match the header's checksum$/,
    );
    await rewriteBackup(backup.path, bad("short.backup"), (contents) => {
      contents.tables.get("news")!.pop();
    });
    await refused(
      bad("short.backup"),
      new RegExp(
        `short\\.backup is corrupted: table news has ${
          before.rows.news - 1
        } rows, its header says ` +
          `${before.rows.news}$`,
      ),
    );
    await rewriteBackup(backup.path, bad("future-format.backup"), (contents) => {
      Object.assign(contents.header, { version: 2 });
    });
    await refused(
      bad("future-format.backup"),
      /has backup format version 2, but this code reads version 1 only/,
    );
    await rewriteBackup(backup.path, bad("future-schema.backup"), (contents) => {
      contents.header.migrations.push({ version: 9999, name: "future", checksum: "0".repeat(64) });
    });
    await refused(
      bad("future-schema.backup"),
      new RegExp(
        `was made at schema version 9999, but this code's migrations end at ${LATEST}: ` +
          "upgrade Craveny, then restore$",
      ),
    );
    await rewriteBackup(backup.path, bad("other-migration.backup"), (contents) => {
      contents.header.migrations[0].checksum = "1".repeat(64);
    });
    await refused(
      bad("other-migration.backup"),
      /was made with a different migration 0001_initial\.sql .*: restore it with the Craveny release that made it$/,
    );
  });

  await t.step("a load that fails part-way is rolled back as a whole", async () => {
    await using target = await openTestDatabase({ migrate: false });
    // Consistent files (counts and checksums recomputed) whose data can't all go in.
    const orphan = join(dir.path, "orphan.backup");
    await rewriteBackup(backup.path, orphan, (contents) => {
      setField(contents, "news_stock", "news_id", "999999999");
    }, { recount: true });
    await assert.rejects(
      restoreBackup(target, await planRestore(orphan), { log: quiet }),
      /^BackupError: restoring the indexes and foreign keys failed: .*"news_stock" violates foreign key constraint "news_stock_news_id_fkey"; nothing was restored$/,
    );
    assert.equal(await totalRows(target.sql), 0);
    // A value the database stores differently from how it was written fails the check that
    // reads every table back before the commit.
    const shifted = join(dir.path, "shifted.backup");
    await rewriteBackup(backup.path, shifted, (contents) => {
      setField(contents, "stock", "created_at", "2025-01-01 02:00:00+02");
    }, { recount: true });
    await assert.rejects(
      restoreBackup(target, await planRestore(shifted), { log: quiet }),
      /the restored database reads back differently from \S+: the rows of table stock do not match the header's checksum; nothing was restored$/,
    );
    assert.equal(await totalRows(target.sql), 0);
    // Still empty, with every index and constraint, so the good backup goes in.
    assert.deepEqual(await schemaShape(target.sql), await schemaShape(source.sql));
    await restoreBackup(target, await planRestore(backup.path), { log: quiet });
    assert.deepEqual(await fingerprint(target.sql), before);
  });

  await t.step("an interrupted backup leaves no file behind", async () => {
    await using empty = await tempDir("craveny-backups-interrupted-");
    const controller = new AbortController();
    controller.abort(new DOMException("interrupted", "AbortError"));
    await assert.rejects(
      createBackup(source, { dir: empty.path, keep: 1, signal: controller.signal }),
      /interrupted/,
    );
    assert.deepEqual([...Deno.readDirSync(empty.path)], []);
    assert.deepEqual(await fingerprint(source.sql), before);
  });
});

Deno.test("an older backup is restored at its schema version, then migrated forward", async () => {
  const oldVersion = 3;
  await using source = await openTestDatabase({ migrate: false });
  await using old = await tempDir("craveny-old-migrations-");
  for (const migration of CODE_MIGRATIONS.filter((m) => m.version <= oldVersion)) {
    await Deno.writeTextFile(join(old.path, migration.file), migration.sql);
  }
  await migrate(source, quiet, old.path);
  await source.sql`
    insert into stock (symbol, exchange, name, aliases)
    values ('AAPL', 'NASDAQ', 'Apple Inc.', '{Apple,iPhone}'), ('MSFT', 'NASDAQ', 'Microsoft', '{}')`;
  await source
    .sql`insert into model (name, provider, model_id) values ('momentum', 'builtin', 'momentum')`;
  await source.sql`
    insert into prediction (model_id, stock_id, as_of, horizon, direction, confidence, mode)
    select m.id, s.id, '2025-03-03T21:00:00Z', 5, 'up', 0.6, 'replay' from model m, stock s`;
  // The columns these tables had at version 3 (later migrations may add more).
  const rows = (sql: ISql) =>
    Promise.all([
      sql`select id, symbol, name, aliases, created_at from stock order by id`,
      sql`select id, name, provider, model_id from model order by id`,
      sql`select id, model_id, stock_id, as_of, horizon, direction, confidence from prediction
        order by id`,
    ]);
  await using dir = await tempDir("craveny-backups-old-");
  const backup = await createBackup(source, { dir: dir.path, keep: 1 });
  const plan = await planRestore(backup.path);
  assert.deepEqual(plan.header.migrations.map((m) => m.version), [1, 2, 3]);

  // A target that is empty but already at a newer schema can't take it.
  await using migrated = await openTestDatabase();
  await assert.rejects(
    restoreBackup(migrated, plan, { log: quiet }),
    new RegExp(`the target database is at schema version ${LATEST}, newer than the backup's 3; `),
  );

  await using target = await openTestDatabase({ migrate: false });
  const result = await restoreBackup(target, plan, { log: quiet });
  assert.deepEqual(
    result.migratedForward,
    CODE_MIGRATIONS.filter((m) => m.version > oldVersion).map((m) => m.file),
  );
  const [{ latest }] = await target.sql<{ latest: number }[]>`
    select max(version) as latest from schema_migration`;
  assert.equal(latest, LATEST);
  const expected = await rows(source.sql);
  assert.equal(expected[2].length, 2);
  assert.deepEqual(await rows(target.sql), expected);
});
