// `deno task replay` and `deno task lookahead` as an operator runs them, on the embedded defaults:
// a replay with progress and a summary, a second replay that adds nothing, a clean look-ahead
// check, and one that catches inputs changed after the fact (a backfilled news item).
import assert from "node:assert/strict";
import { openEmbedded } from "../lib/db/embedded.ts";
import { createLogger } from "../lib/log.ts";
import { getStock } from "../lib/stocks/store.ts";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
import { addTestNews } from "../tests/support/news.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

Deno.test("deno task replay, then deno task lookahead", async () => {
  await using dataDir = await tempDir("craveny-replay-task-");
  const env = {
    DATA_DIR: dataDir.path,
    DATABASE_URL: "",
    REDIS_URL: "",
    MILVUS_ADDRESS: "",
    LOG_LEVEL: "error",
    SIMULATOR_START: day(-40),
    PREDICT_HORIZONS: "1",
  };
  const run = (script: string, args: string[]): Promise<CommandResult> =>
    runDeno(["run", "-A", script, ...args], { cwd: root, env });
  const ok = async (script: string, args: string[]) => {
    const result = await run(script, args);
    assert.equal(result.code, 0, `${script} ${args.join(" ")}: ${result.stderr}`);
    return result;
  };
  await ok("tasks/job.ts", ["crawl"]);
  await ok("tasks/job.ts", ["embed"]);

  const args = [
    "--from",
    day(-14),
    "--to",
    day(-1),
    "--models",
    "momentum,news-tone",
    "--symbols",
    "AAPL,msft",
  ];
  const first = await ok("tasks/replay.ts", args);
  const summary = JSON.parse(first.stdout.trim());
  assert.ok(summary.stockDays >= 16, JSON.stringify(summary)); // ≥ 8 trading days × 2 stocks
  assert.equal(summary.interrupted, false);
  assert.ok(summary.counts.predicted > 0);
  assert.match(first.stderr, /\[#{20}\] 100% {2}\d+\/\d+ stock-days {2}[\d.]+\/s {2}ETA 0:00/);
  const again = JSON.parse((await ok("tasks/replay.ts", args)).stdout.trim());
  assert.equal(again.counts.predicted, undefined, "resumed: nothing left to do");

  const clean = await ok("tasks/lookahead.ts", ["--sample", "20"]);
  assert.match(clean.stdout, /^20 predictions checked, 0 with different inputs$/m);

  // A news item published before every as-of appears afterwards (a backfill): replay inputs
  // would now differ, and the check says so.
  const db = await openEmbedded(dataDir.path, createLogger("error", () => {}));
  try {
    await getStock(db.sql, "AAPL");
    await addTestNews(db.sql, [{
      title: "Backfilled: Apple unveils a new product line",
      publishedAt: new Date(`${day(-15)}T12:00:00Z`),
      symbols: ["AAPL"],
    }], new Date());
  } finally {
    await db.close();
  }
  const dirty = await run("tasks/lookahead.ts", ["--sample", "200"]);
  assert.equal(dirty.code, 1, dirty.stderr);
  assert.match(
    dirty.stdout,
    /^DIFFERS prediction \d+ \((momentum|news-tone), AAPL, as of .*\): news/m,
  );
  assert.doesNotMatch(dirty.stdout, /MSFT/);

  const bad = await run("tasks/replay.ts", ["--from", "2024-13-01", "--to", day(-1)]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--from: expected a date YYYY-MM-DD/);
  const unknown = await run("tasks/replay.ts", [...args.slice(0, 4), "--models", "oracle"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown model: oracle \(known: .*momentum/);
});
