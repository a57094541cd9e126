// `deno task backup` as an operator runs it: a real subprocess against a real database (a fresh
// one on DATABASE_URL's server when set, else an embedded data directory).
import assert from "node:assert/strict";
import { join } from "node:path";
import { planRestore } from "../lib/backup/restore.ts";
import { isBackupFileName } from "../lib/backup/retention.ts";
import { taskEnv, usingDatabase } from "../lib/backup/test_support.ts";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
import { openTestDatabase, type TestDatabase } from "../tests/support/database.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const script = new URL("./backup.ts", import.meta.url).pathname;
const config = new URL("../deno.json", import.meta.url).pathname;
const BASE_ENV = { NO_COLOR: "1", RUST_BACKTRACE: "0", DATABASE_URL: "", LOG_LEVEL: "warn" };

function command(args: string[], env: Record<string, string>, cwd: string): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config, script, ...args],
    cwd,
    env: { ...BASE_ENV, ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs the task from an empty directory (no .env), as a user would. */
async function run(args: string[], env: Record<string, string>): Promise<CommandResult> {
  await using cwd = await tempDir("craveny-backup-cli-");
  return await runDeno(["run", "-A", "--config", config, script, ...args], {
    cwd: cwd.path,
    env: { ...BASE_ENV, ...env },
  });
}

/** A migrated test database with `rows` predictions; closed when embedded, for the subprocess. */
async function databaseWith(predictions: number, reasoningBytes = 100): Promise<TestDatabase> {
  const db = await openTestDatabase();
  await db.sql`
    insert into stock (symbol, exchange, name)
    select 'S' || lpad(s::text, 2, '0'), 'TEST', 'Stock ' || s from generate_series(1, 20) s`;
  await db.sql`
    insert into model (name, provider, model_id)
    select 'model-' || m, 'builtin', 'momentum' from generate_series(1, 5) m`;
  // In slices: one huge statement is slow on the embedded database.
  for (let from = 0; from < predictions; from += 10_000) {
    await db.sql`
      insert into prediction (model_id, stock_id, as_of, horizon, direction, confidence, mode,
        reasoning)
      select m.id, s.id, timestamptz '2020-01-01' + (i / 100) * interval '1 day', 1, 'up', 0.5,
        'replay', left(repeat(md5(i::text), ${
      Math.ceil(reasoningBytes / 32)
    }::int), ${reasoningBytes}::int)
      from generate_series(${from}::int, ${Math.min(from + 10_000, predictions) - 1}::int) i
      join model m on m.name = 'model-' || (1 + i % 5)
      join stock s on s.symbol = 'S' || lpad((1 + (i / 5) % 20)::text, 2, '0')`;
  }
  if (db.kind === "embedded") await db.close();
  return db;
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("backup --help prints its usage; unknown arguments are refused", async () => {
  const help = await run(["--help"], {});
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: deno task backup\n/);
  assert.match(help.stdout, /BACKUP_KEEP/);
  const wrong = await run(["--all"], {});
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^craveny: unexpected argument "--all"\n\nusage: deno task backup/);
});

Deno.test("backup writes timestamped files and keeps exactly BACKUP_KEEP of them", async () => {
  await using db = await databaseWith(500);
  await using dir = await tempDir("craveny-backups-");
  // Files that are not backups by name are never deleted.
  const others = ["notes.txt", "craveny-before-upgrade.backup"];
  for (const name of others) await Deno.writeTextFile(join(dir.path, name), "keep me");
  const env = { ...taskEnv(db), BACKUP_DIR: dir.path, BACKUP_KEEP: "2" };
  const written: string[] = [];
  for (let run_ = 0; run_ < 3; run_++) {
    const { code, stdout, stderr } = await run([], env);
    assert.equal(code, 0, stderr);
    const match = stdout.match(
      /^backup written: (\S+\.backup)\n[\d.]+ (bytes|KiB|MiB), ([\d,]+) rows in (\d+) tables, [\d.]+ s\n/,
    );
    assert.ok(match, stdout);
    written.push(match[1]);
    assert.equal(
      Number(match[3].replaceAll(",", "")),
      525,
      "20 stocks + 5 models + 500 predictions",
    );
    if (run_ === 2) assert.match(stdout, new RegExp(`\ndeleted old backup ${written[0]}\n$`));
  }
  const backups = names(dir.path).filter(isBackupFileName);
  assert.deepEqual(backups.map((name) => join(dir.path, name)), written.slice(1));
  assert.deepEqual(names(dir.path), [...backups, ...others].sort());
  const plan = await planRestore(written[2]);
  const rows = await usingDatabase(db, async (sql) => {
    const [{ count }] = await sql<{ count: number }[]>`select count(*) as count from prediction`;
    return count;
  });
  assert.equal(plan.header.tables.find((table) => table.name === "prediction")!.rows, rows);
});

Deno.test("Ctrl-C stops a backup and leaves no file behind", async () => {
  await using db = await databaseWith(60_000, 1_000);
  await using dir = await tempDir("craveny-backups-");
  await using cwd = await tempDir("craveny-backup-cli-");
  const child = command([], { ...taskEnv(db), BACKUP_DIR: dir.path }, cwd.path).spawn();
  const output = child.output();
  // The spool file appears just before the tables are read (about a second's work here):
  // interrupt a little later.
  const deadline = Date.now() + 60_000;
  while (!names(dir.path).some((name) => name.endsWith(".tmp.data")) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  child.kill("SIGINT");
  const { code, stdout, stderr } = await output;
  const text = new TextDecoder();
  assert.equal(text.decode(stdout), "", "it must not have finished before the interrupt");
  assert.equal(code, 130, text.decode(stderr));
  assert.match(text.decode(stderr), /craveny: backup interrupted: no backup was written\n$/);
  assert.deepEqual(names(dir.path), []);
  if (db.kind === "embedded") {
    await assert.rejects(Deno.stat(join(db.location, "pglite.lock")), Deno.errors.NotFound);
  }
});

Deno.test("backup fails with one line for an unreachable database or an unusable BACKUP_DIR", async () => {
  const unreachable = await run([], { DATABASE_URL: "postgres://app:secret@127.0.0.1:1/app" });
  assert.equal(unreachable.code, 1);
  assert.equal(
    unreachable.stderr,
    "craveny: postgres at 127.0.0.1:1/app could not be reached: connection refused " +
      "(is the server running and listening on that port?)\n",
  );
  await using db = await databaseWith(0);
  await using dir = await tempDir("craveny-backups-");
  const file = join(dir.path, "a-file");
  await Deno.writeTextFile(file, "");
  const unusable = await run([], { ...taskEnv(db), BACKUP_DIR: join(file, "backups") });
  assert.equal(unusable.code, 1);
  assert.match(unusable.stderr, /^craveny: backup directory \S+ can't be created: [^\n]+\n$/);
});
