// Embedded-only behaviour: runs in every environment, PGlite is always available.
import assert from "node:assert/strict";
import { seedEmbeddedDataDir } from "../../tests/support/database.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { createLogger } from "../log.ts";
import { openEmbedded } from "./embedded.ts";
import { DatabaseStartError } from "./errors.ts";

const quiet = createLogger("error", () => {});

function unusable(dataDir: string, reason: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DatabaseStartError, `not a DatabaseStartError: ${error}`);
    assert.match(error.message, new RegExp(`^embedded database at ${dataDir}/pglite could not be`));
    assert.match(error.message, reason);
    assert.match(error.message, /\(move it aside to start fresh\)$/);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  };
}

Deno.test("data persists across close and reopen; the lock goes with close", async () => {
  await using dir = await tempDir("craveny-embedded-");
  const dataDir = dir.path;
  await seedEmbeddedDataDir(dataDir);
  const first = await openEmbedded(dataDir, quiet);
  assert.equal(first.kind, "embedded");
  await first.sql`create table kept (note text)`;
  await first.sql`insert into kept values ('still here')`;
  await first.close();
  await first.close(); // idempotent
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dataDir))).map((entry) => entry.name), [
    "pglite",
  ]);

  const second = await openEmbedded(dataDir, quiet);
  try {
    const rows = await second.sql<{ note: string }[]>`select note from kept`;
    assert.deepEqual(rows.map((row) => row.note), ["still here"]);
  } finally {
    await second.close();
  }
});

Deno.test("a second opener of one data directory is refused while the first has it", async () => {
  await using dir = await tempDir("craveny-embedded-");
  const dataDir = dir.path;
  await seedEmbeddedDataDir(dataDir);
  const db = await openEmbedded(dataDir, quiet);
  try {
    await assert.rejects(openEmbedded(dataDir, quiet), (error) => {
      assert.ok(error instanceof DatabaseStartError);
      assert.match(error.message, new RegExp(`is in use by process ${Deno.pid}`));
      return true;
    });
    await db.ping(); // the refused opener did not disturb the open one
  } finally {
    await db.close();
  }
});

Deno.test("a directory full of garbage is refused with a clear message", async () => {
  await using dir = await tempDir("craveny-embedded-");
  const dataDir = dir.path;
  await Deno.mkdir(`${dataDir}/pglite`);
  await Deno.writeFile(`${dataDir}/pglite/junk`, crypto.getRandomValues(new Uint8Array(4096)));
  await assert.rejects(
    openEmbedded(dataDir, quiet),
    unusable(dataDir, /it is not empty and has no PG_VERSION file/),
  );
  // Left untouched for the operator, and unlocked.
  assert.deepEqual((await Array.fromAsync(Deno.readDir(`${dataDir}/pglite`))).length, 1);
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dataDir))).length, 1);
});

Deno.test("a garbage PG_VERSION is refused", async () => {
  await using dir = await tempDir("craveny-embedded-");
  const dataDir = dir.path;
  await Deno.mkdir(`${dataDir}/pglite`);
  await Deno.writeFile(
    `${dataDir}/pglite/PG_VERSION`,
    crypto.getRandomValues(new Uint8Array(64)),
  );
  await assert.rejects(openEmbedded(dataDir, quiet), unusable(dataDir, /PG_VERSION/));
});

Deno.test("a file where the directory should be is refused", async () => {
  await using dir = await tempDir("craveny-embedded-");
  const dataDir = dir.path;
  await Deno.writeTextFile(`${dataDir}/pglite`, "not a directory");
  await assert.rejects(openEmbedded(dataDir, quiet), unusable(dataDir, /not a directory/));
});

Deno.test("a cluster with corrupt control data is refused with Postgres's reason", async () => {
  await using dir = await tempDir("craveny-embedded-");
  const dataDir = dir.path;
  await seedEmbeddedDataDir(dataDir);
  await Deno.writeFile(
    `${dataDir}/pglite/global/pg_control`,
    crypto.getRandomValues(new Uint8Array(8192)),
  );
  await assert.rejects(
    openEmbedded(dataDir, quiet),
    unusable(dataDir, /database files are incompatible with server/),
  );
  // The failed start released its lock: a repaired directory opens again.
  await Deno.remove(`${dataDir}/pglite`, { recursive: true });
  await seedEmbeddedDataDir(dataDir);
  await (await openEmbedded(dataDir, quiet)).close();
});
