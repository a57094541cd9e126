// `deno task import` as a person runs it: a real process on the embedded database.
import assert from "node:assert/strict";
import { openEmbedded } from "../lib/db/embedded.ts";
import { createLogger } from "../lib/log.ts";
import { seedEmbeddedDataDir } from "../tests/support/database.ts";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;

// Empty values select the embedded defaults even where CI exports real service URLs.
const env = (dataDir: string) => ({
  DATA_DIR: dataDir,
  DATABASE_URL: "",
  REDIS_URL: "",
  MILVUS_ADDRESS: "",
  LOG_LEVEL: "error",
  NO_COLOR: "1",
});

function runImport(dataDir: string, args: string[]): Promise<CommandResult> {
  return runDeno(["run", "-A", "tasks/import.ts", ...args], { cwd: root, env: env(dataDir) });
}

async function countRows(dataDir: string, table: "price_bar" | "news"): Promise<number> {
  const db = await openEmbedded(dataDir, createLogger("error", () => {}));
  try {
    const [{ count }] = await db.sql<{ count: number }[]>`select count(*) from ${db.sql(table)}`;
    return count;
  } finally {
    await db.close();
  }
}

Deno.test("import --help, usage errors and unreadable files", async () => {
  await using dir = await tempDir("craveny-import-task-");
  const help = await runImport(dir.path, ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: deno task import prices FILE…/);
  assert.match(help.stdout, /adj close \(optional\)/);

  const usage = await runImport(dir.path, ["trades", "x.csv"]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^craveny: unknown import "trades"/);
  const noFile = await runImport(dir.path, ["prices"]);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /no prices FILE given/);

  const missing = await runImport(dir.path, ["prices", `${dir.path}/nope.csv`]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), `craveny: cannot read ${dir.path}/nope.csv: no such file`);
});

Deno.test("import prices: loads, reports rejected rows, a second run inserts nothing", async () => {
  await using dir = await tempDir("craveny-import-task-");
  await seedEmbeddedDataDir(dir.path);
  const csv = `${dir.path}/bars.csv`;
  await Deno.writeTextFile(
    csv,
    "date,ticker,open,high,low,close,volume\n" +
      "2020-01-02,AAPL,74.06,75.15,73.80,75.09,135480400\n" +
      "2020-01-03,AAPL,74.29,75.14,74.13,74.36,146322800\n" +
      "2020-01-06,AAPL,73.45,74.99,73.19,-1,118387200\n" +
      "2020-01-02,ZZZZ,1,1,1,1,1\n" +
      "2020-01-07,AAPL,74.96,75.22,74.37\n",
  );
  const first = await runImport(dir.path, ["prices", csv]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /bars\.csv: 5 rows in [\d.]+ s \([\d,]+ rows\/s\)/);
  assert.match(first.stdout, /prices: 3 inserted, 0 updated, 0 unchanged, 2 rejected/);
  assert.match(first.stdout, /new symbols added as inactive stocks .*: ZZZZ/);
  assert.match(first.stdout, /line 4: close -1 is not positive/);
  assert.match(first.stdout, /line 6: 5 fields where the header has 7/);
  const report = /all listed in (\S+)/.exec(first.stdout)?.[1] ?? "";
  assert.ok(report.startsWith(`${dir.path}/import-reports/bars-`), first.stdout);
  assert.equal(
    await Deno.readTextFile(report),
    "line,reason\n4,close -1 is not positive\n6,5 fields where the header has 7\n",
  );

  const second = await runImport(dir.path, ["prices", csv]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /prices: 0 inserted, 0 updated, 3 unchanged, 2 rejected/);
  assert.equal(await countRows(dir.path, "price_bar"), 3);
});

Deno.test("import news: a file without the required columns is one line and exit 1", async () => {
  await using dir = await tempDir("craveny-import-task-");
  await seedEmbeddedDataDir(dir.path);
  const csv = `${dir.path}/sentiment.csv`;
  await Deno.writeTextFile(csv, "text,label\nshares up,positive\n");
  const result = await runImport(dir.path, ["news", csv]);
  assert.equal(result.code, 1);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^craveny: .*sentiment\.csv: a news file needs a date column/);
  assert.match(lines[0], /missing the date column/);
  assert.equal(await countRows(dir.path, "news"), 0);
});

Deno.test("import: Ctrl-C stops between batches, committed batches stay whole", async () => {
  await using dir = await tempDir("craveny-import-task-");
  await seedEmbeddedDataDir(dir.path);
  const csv = `${dir.path}/many.csv`;
  const lines = ["date,symbol,open,high,low,close"];
  for (let day = 0; day < 20_000; day++) {
    const date = new Date(Date.UTC(1960, 0, 1 + day)).toISOString().slice(0, 10);
    lines.push(`${date},AAPL,1,2,1,2`, `${date},MSFT,1,2,1,2`, `${date},KO,1,2,1,2`);
  }
  await Deno.writeTextFile(csv, lines.join("\n"));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/import.ts", "prices", "--batch", "500", csv],
    cwd: root,
    env: env(dir.path),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let stdout = "";
  const reader = child.stdout.getReader();
  while (!stdout.includes("importing prices")) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += decoder.decode(value, { stream: true });
  }
  // Let a few batches commit first (the whole file takes seconds).
  await new Promise((resolve) => setTimeout(resolve, 700));
  child.kill("SIGINT");
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    stdout += decoder.decode(chunk.value, { stream: true });
  }
  const { code } = await child.status;
  const stderr = decoder.decode(await new Response(child.stderr).arrayBuffer());
  if (code === 0) {
    // The machine imported all 60,000 rows before the signal arrived: nothing to stop.
    assert.match(stdout, /prices: 60,000 inserted/);
    return;
  }
  assert.equal(code, 130, `${stdout}\n${stderr}`);
  assert.match(stderr, /stopping at the next safe point/);
  assert.match(stdout, /interrupted: the batches committed before Ctrl-C stay/);
  const count = await countRows(dir.path, "price_bar");
  assert.equal(count % 500, 0, `${count} bars: a batch was half-written`);
  assert.ok(count < 60_000);
});
