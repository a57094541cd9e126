import assert from "node:assert/strict";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { MigrationError } from "./errors.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import { parseMigrationFileNames, readMigrations } from "./migration_files.ts";

Deno.test("parseMigrationFileNames orders by number and ignores files that are not .sql", () => {
  const files = parseMigrationFileNames(["0010_b.sql", "README.md", "0002_a_1.sql", ".keep"]);
  assert.deepEqual(files, [
    { version: 2, name: "a_1", file: "0002_a_1.sql" },
    { version: 10, name: "b", file: "0010_b.sql" },
  ]);
});

Deno.test("parseMigrationFileNames rejects badly named .sql files, naming them", () => {
  for (
    const bad of ["1_short.sql", "0001-dash.sql", "0001_Upper.sql", "0001_.sql", "00001_x.sql"]
  ) {
    assert.throws(
      () => parseMigrationFileNames(["0002_ok.sql", bad]),
      (error) =>
        error instanceof MigrationError && error.file === bad && error.message.includes(bad),
    );
  }
});

Deno.test("parseMigrationFileNames rejects two files with one number", () => {
  assert.throws(
    () => parseMigrationFileNames(["0003_a.sql", "0001_x.sql", "0003_b.sql"]),
    (error) =>
      error instanceof MigrationError &&
      /duplicate migration number 0003: 0003_a.sql and 0003_b.sql/.test(error.message),
  );
});

Deno.test("sha256Hex matches the standard test vector", async () => {
  assert.equal(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("readMigrations reads files in order with checksums of LF-normalised text", async () => {
  await using temp = await tempDir("craveny-migration-files-");
  const dir = temp.path;
  await Deno.writeTextFile(`${dir}/0002_second.sql`, "select 2;\r\n");
  await Deno.writeTextFile(`${dir}/0001_first.sql`, "select 1;\n");
  await Deno.writeTextFile(`${dir}/notes.txt`, "not a migration");
  const migrations = await readMigrations(dir);
  assert.deepEqual(migrations.map((migration) => migration.file), [
    "0001_first.sql",
    "0002_second.sql",
  ]);
  assert.equal(migrations[1].sql, "select 2;\n");
  assert.equal(migrations[1].checksum, await sha256Hex("select 2;\n"));
});

Deno.test("readMigrations names a missing directory", async () => {
  await assert.rejects(
    readMigrations("/nonexistent/migrations"),
    (error) => error instanceof MigrationError && error.message.includes("/nonexistent/migrations"),
  );
});

Deno.test("the repository's migrations parse", async () => {
  const migrations = await readMigrations(new URL("../../migrations/", import.meta.url));
  assert.equal(migrations[0].file, "0001_initial.sql");
});
