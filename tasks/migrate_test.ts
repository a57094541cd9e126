import assert from "node:assert/strict";
import { MIGRATIONS_DIR } from "../lib/db/migrate.ts";
import { readMigrations } from "../lib/db/migration_files.ts";
import { seedEmbeddedDataDir } from "../tests/support/database.ts";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const script = new URL("./migrate.ts", import.meta.url).pathname;
const config = new URL("../deno.json", import.meta.url).pathname;

/** Runs `deno task migrate` as a user would, from an empty directory (no .env), with `env`. */
async function run(args: string[], env: Record<string, string>): Promise<CommandResult> {
  await using cwd = await tempDir("craveny-migrate-cli-");
  return await runDeno(["run", "-A", "--config", config, script, ...args], {
    cwd: cwd.path,
    env: { NO_COLOR: "1", DATABASE_URL: "", RUST_BACKTRACE: "0", ...env },
  });
}

Deno.test("migrate --help prints usage", async () => {
  const { code, stdout } = await run(["--help"], {});
  assert.equal(code, 0);
  assert.match(stdout, /^usage: deno task migrate/);
});

Deno.test("migrate applies pending migrations once, then reports up to date", async () => {
  await using dataDir = await tempDir("craveny-migrate-data-");
  await seedEmbeddedDataDir(dataDir.path);
  const first = await run([], { DATA_DIR: dataDir.path });
  assert.equal(first.stderr, "");
  const migrations = await readMigrations(MIGRATIONS_DIR);
  assert.equal(first.stdout, migrations.map(({ file }) => `applied ${file}\n`).join(""));
  assert.equal(first.code, 0);
  const second = await run([], { DATA_DIR: dataDir.path });
  assert.equal(second.stdout, "up to date\n");
  assert.equal(second.code, 0);
});

Deno.test("migrate fails with one clear line when the database is unreachable", async () => {
  const { code, stdout, stderr } = await run([], {
    DATABASE_URL: "postgres://app:topsecret@127.0.0.1:1/app",
  });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    "craveny: postgres at 127.0.0.1:1/app could not be reached: connection refused " +
      "(is the server running and listening on that port?)\n",
  );
});

Deno.test("migrate rejects unknown arguments", async () => {
  const { code, stderr } = await run(["--force"], {});
  assert.equal(code, 2);
  assert.match(stderr, /unexpected argument "--force"/);
});
