import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { type TempDir, tempDir } from "../../tests/support/temp_dir.ts";
import type { Sql } from "postgres";
import { createLogger } from "../log.ts";
import { MigrationError } from "./errors.ts";
import { migrate, MIGRATIONS_DIR } from "./migrate.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import { readMigrations } from "./migration_files.ts";

const quiet = createLogger("error", () => {});
const ALL_MIGRATIONS = (await readMigrations(MIGRATIONS_DIR)).map(({ file }) => file);

const TABLES = [
  "ab_test",
  "alert_delivery_attempt",
  "alert_outbox",
  "alert_subscription",
  "app_user",
  "daily_performance",
  "evaluation",
  "job_run",
  "model",
  "model_prompt",
  "news",
  "news_feed",
  "news_stock",
  "prediction",
  "prediction_attempt",
  "prediction_outcome",
  "price_bar",
  "raw_payload",
  "schema_migration",
  "session",
  "stock",
  "telegram_chat",
  "telegram_link_code",
];

async function tables(sql: Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() order by table_name`;
  return rows.map((row) => row.name);
}

/** A temporary migrations folder holding `files`, removed when disposed. */
async function migrationsDir(files: Record<string, string>): Promise<TempDir> {
  const dir = await tempDir("craveny-migrations-");
  for (const [name, sql] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir.path}/${name}`, sql);
  }
  return dir;
}

Deno.test("migrate gives a fresh database every table, then is a no-op", async () => {
  await using db = await openTestDatabase({ migrate: false });
  const first = await migrate(db, quiet);
  assert.deepEqual(first.applied, ALL_MIGRATIONS);
  assert.deepEqual(await tables(db.sql), TABLES);

  const [record] = await db.sql<{ version: number; name: string; checksum: string }[]>`
    select version, name, checksum from schema_migration order by version limit 1`;
  const file = await Deno.readTextFile(
    new URL("../../migrations/0001_initial.sql", import.meta.url),
  );
  assert.deepEqual(record, { version: 1, name: "initial", checksum: await sha256Hex(file) });
  assert.equal(ALL_MIGRATIONS[0], "0001_initial.sql");

  assert.deepEqual(await migrate(db, quiet), { applied: [] });
  const [{ count }] = await db.sql<{ count: number }[]>`select count(*) from schema_migration`;
  assert.equal(count, ALL_MIGRATIONS.length);
});

Deno.test("migrate applies only what is pending, in order", async () => {
  await using db = await openTestDatabase({ migrate: false });
  await using migrations = await migrationsDir({ "0001_a.sql": "create table a (id int);" });
  const dir = migrations.path;
  assert.deepEqual((await migrate(db, quiet, dir)).applied, ["0001_a.sql"]);
  await Deno.writeTextFile(`${dir}/0003_c.sql`, "create table c (id int references b);");
  await Deno.writeTextFile(`${dir}/0002_b.sql`, "create table b (id int primary key);");
  assert.deepEqual((await migrate(db, quiet, dir)).applied, ["0002_b.sql", "0003_c.sql"]);
  assert.deepEqual(await tables(db.sql), ["a", "b", "c", "schema_migration"]);
});

Deno.test("a migration changed after it was applied is refused and nothing else applies", async () => {
  await using db = await openTestDatabase({ migrate: false });
  await using migrations = await migrationsDir({ "0001_a.sql": "create table a (id int);" });
  const dir = migrations.path;
  await migrate(db, quiet, dir);
  await Deno.writeTextFile(`${dir}/0001_a.sql`, "create table a (id bigint);");
  await Deno.writeTextFile(`${dir}/0002_b.sql`, "create table b (id int);");
  await assert.rejects(
    migrate(db, quiet, dir),
    (error) =>
      error instanceof MigrationError && error.file === "0001_a.sql" &&
      /0001_a\.sql was changed after it was applied/.test(error.message),
  );
  assert.deepEqual(await tables(db.sql), ["a", "schema_migration"]);
});

Deno.test("a failing migration rolls back completely and names the file and the error", async () => {
  await using db = await openTestDatabase({ migrate: false });
  await using migrations = await migrationsDir({
    "0001_good.sql": "create table good (id int);",
    "0002_broken.sql": [
      "create table half (id int);",
      "insert into good values (1);",
      "select * from missing_table;",
    ].join("\n"),
  });
  const dir = migrations.path;
  await assert.rejects(
    migrate(db, quiet, dir),
    (error) =>
      error instanceof MigrationError && error.file === "0002_broken.sql" &&
      error.message.includes("migration 0002_broken.sql failed") &&
      error.message.includes('relation "missing_table" does not exist (line 3)'),
  );
  assert.deepEqual(await tables(db.sql), ["good", "schema_migration"]);
  const [{ count }] = await db.sql<{ count: number }[]>`select count(*) from good`;
  assert.equal(count, 0);
  const versions = await db.sql<{ version: number }[]>`select version from schema_migration`;
  assert.deepEqual(versions.map((row) => row.version), [1]);
});

Deno.test("badly named migration files are rejected before anything applies", async () => {
  await using db = await openTestDatabase({ migrate: false });
  await using migrations = await migrationsDir({
    "0001_ok.sql": "create table ok (id int);",
    "2_bad-name.sql": "create table bad (id int);",
  });
  const dir = migrations.path;
  await assert.rejects(
    migrate(db, quiet, dir),
    (error) => error instanceof MigrationError && error.message.includes("2_bad-name.sql"),
  );
  assert.deepEqual(await tables(db.sql), []);
});

Deno.test("concurrent migrators apply each migration exactly once", async () => {
  await using db = await openTestDatabase({ migrate: false });
  // On Postgres the pool gives each call its own connection, so the advisory lock is exercised.
  const results = await Promise.all([migrate(db, quiet), migrate(db, quiet), migrate(db, quiet)]);
  assert.deepEqual(results.flatMap((result) => result.applied).sort(), ALL_MIGRATIONS);
  assert.deepEqual(await tables(db.sql), TABLES);
});

Deno.test("openTestDatabase migrates by default", async () => {
  await using db = await openTestDatabase();
  assert.deepEqual(await tables(db.sql), TABLES);
});
