// `deno task restore FILE` as an operator runs it: a real subprocess restoring a backup of a
// database the app filled into a fresh one (DATABASE_URL's server when set, else embedded), and
// refusing bad files and non-empty targets with one line.
import assert from "node:assert/strict";
import { join } from "node:path";
import { createBackup } from "../lib/backup/create.ts";
import {
  fingerprint,
  rewriteBackup,
  seedLikeTheApp,
  taskEnv,
  usingDatabase,
} from "../lib/backup/test_support.ts";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const script = new URL("./restore.ts", import.meta.url).pathname;
const config = new URL("../deno.json", import.meta.url).pathname;

/** Runs the task from an empty directory (no .env), as a user would. */
async function run(args: string[], env: Record<string, string>): Promise<CommandResult> {
  await using cwd = await tempDir("craveny-restore-cli-");
  return await runDeno(["run", "-A", "--config", config, script, ...args], {
    cwd: cwd.path,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", DATABASE_URL: "", LOG_LEVEL: "warn", ...env },
  });
}

Deno.test("restore --help prints its usage; FILE is required, alone", async () => {
  const help = await run(["--help"], {});
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: deno task restore FILE\n/);
  assert.match(help.stdout, /deno task vectors reconcile/);
  const missing = await run([], {});
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^craveny: FILE is missing\n\nusage: deno task restore FILE/);
  const two = await run(["a.backup", "b.backup"], {});
  assert.equal(two.code, 2);
  assert.match(two.stderr, /^craveny: unexpected argument "b\.backup"\n/);
});

Deno.test("restore loads a backup into an empty database, then refuses a non-empty one", async () => {
  await using source = await openTestDatabase();
  await using data = await tempDir("craveny-restore-data-");
  await using dir = await tempDir("craveny-restore-backups-");
  await seedLikeTheApp(source, { dataDir: data.path });
  const expected = await fingerprint(source.sql);
  const backup = await createBackup(source, { dir: dir.path, keep: 1 });

  await using target = await openTestDatabase({ migrate: false });
  if (target.kind === "embedded") await target.close();
  const restored = await run([backup.path], taskEnv(target));
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(
    restored.stdout,
    new RegExp(
      `^restored ${backup.path}: [\\d,]+ rows in \\d+ tables at schema version \\d+, backed up ` +
        `\\S+, [\\d.]+ s\\nnext: rebuild the vectors from Postgres with \`deno task vectors ` +
        "reconcile`",
    ),
  );
  assert.deepEqual(await usingDatabase(target, fingerprint), expected);

  const again = await run([backup.path], taskEnv(target));
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    /^craveny: the target database is not empty \(table \w+ has rows\); restore only loads into an empty database: create a new one [^\n]*\n$/,
  );
  assert.deepEqual(await usingDatabase(target, fingerprint), expected);
});

Deno.test("restore refuses bad files with one line, before opening any database", async () => {
  await using source = await openTestDatabase();
  await source.sql`insert into stock (symbol, exchange, name) values ('AAPL', 'NASDAQ', 'Apple')`;
  await using dir = await tempDir("craveny-restore-bad-");
  const backup = await createBackup(source, { dir: dir.path, keep: 1 });
  const bytes = await Deno.readFile(backup.path);
  const truncated = join(dir.path, "truncated.backup");
  await Deno.writeFile(truncated, bytes.subarray(0, bytes.length - 20));
  const edited = join(dir.path, "edited.backup");
  await rewriteBackup(backup.path, edited, (contents) => {
    contents.tables.set("stock", [contents.tables.get("stock")![0].replace("Apple", "Pear")]);
  });
  const future = join(dir.path, "future.backup");
  await rewriteBackup(backup.path, future, (contents) => {
    Object.assign(contents.header, { version: 7 });
  });
  // An embedded data directory that must not be created: nothing is opened for a bad file.
  const dataDir = join(dir.path, "data");
  const cases: [string, RegExp][] = [
    [join(dir.path, "missing.backup"), /missing\.backup: no such file$/],
    [truncated, /truncated\.backup is truncated: it ends in the middle of its data$/],
    [edited, /edited\.backup is corrupted: the rows of table stock do not match the header's/],
    [future, /future\.backup has backup format version 7, but this code reads version 1 only/],
  ];
  for (const [file, pattern] of cases) {
    const { code, stdout, stderr } = await run([file], { DATA_DIR: dataDir });
    assert.equal(code, 1, file);
    assert.equal(stdout, "");
    assert.match(stderr, /^craveny: [^\n]+\n$/, "one line");
    assert.match(stderr.trimEnd(), pattern);
    await assert.rejects(Deno.stat(dataDir), Deno.errors.NotFound);
  }
});
