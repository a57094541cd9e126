import assert from "node:assert/strict";
import { seedEmbeddedDataDir } from "../../tests/support/database.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { DatabaseStartError } from "./errors.ts";
import { openDatabase } from "./open.ts";

const quiet = createLogger("error", () => {});
const DATABASE_URL = Deno.env.get("DATABASE_URL")?.trim();
if (!DATABASE_URL) console.log("open_test: postgres test skipped: DATABASE_URL not set");

Deno.test("without DATABASE_URL the embedded database under DATA_DIR is opened", async () => {
  await using dataDir = await tempDir("craveny-open-");
  await seedEmbeddedDataDir(dataDir.path);
  const db = await openDatabase(loadConfig({ DATA_DIR: dataDir.path }), quiet);
  assert.equal(db.kind, "embedded");
  await db.ping();
  await db.close();
});

Deno.test("an unreachable DATABASE_URL gives a DatabaseStartError without credentials", async () => {
  const config = loadConfig({ DATABASE_URL: "postgres://app:topsecret@127.0.0.1:1/app" });
  await assert.rejects(openDatabase(config, quiet), (error) => {
    assert.ok(error instanceof DatabaseStartError);
    assert.match(error.message, /^postgres at 127\.0\.0\.1:1\/app could not be reached: /);
    assert.doesNotMatch(error.message, /topsecret/);
    return true;
  });
});

Deno.test({
  name: "with DATABASE_URL Postgres is opened (postgres)",
  ignore: !DATABASE_URL,
  async fn() {
    const db = await openDatabase(loadConfig({ DATABASE_URL }), quiet);
    assert.equal(db.kind, "postgres");
    await db.ping();
    await db.close();
  },
});
