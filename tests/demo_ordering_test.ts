// The first-run demo means something: on the simulator's fixed seed, a replay of the built-in
// models over history, evaluated, ranks the models that read the news (news-tone, news-analogs)
// above the always-up baseline — as the simulator's design implies (headline tone carries a noisy
// signal about the next three days; prices are otherwise a random walk with small drift).
import assert from "node:assert/strict";
import { createCrawlJob } from "../jobs/crawl.ts";
import { createEmbedJob } from "../jobs/embed.ts";
import { createEvaluateJob } from "../jobs/evaluate.ts";
import { loadConfig } from "../lib/config.ts";
import { latestSnapshots } from "../lib/evaluate/query.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { DEFAULT_MODELS } from "../lib/models/defaults.ts";
import { seedModels } from "../lib/models/store.ts";
import { replayRecentHistory } from "../lib/predict/seed_replay.ts";
import { upsertStocks } from "../lib/stocks/store.ts";
import { DEFAULT_UNIVERSE } from "../lib/stocks/universe.ts";
import { openTestContext } from "./support/context.ts";
import { openTestDatabase } from "./support/database.ts";
import { tempDir } from "./support/temp_dir.ts";

const quiet = createLogger("error", () => {});
/** The replay ends here whatever today is, so the data and the ranking are fixed. */
const NOW = new Date("2025-06-30T23:00:00Z");

Deno.test("demo: news-reading models outrank always-up on the simulator's seed", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-demo-");
  const equities = DEFAULT_UNIVERSE.filter((stock) => stock.assetClass !== "crypto").slice(0, 8);
  await upsertStocks(db.sql, [...equities]);
  await seedModels(db.sql, [...DEFAULT_MODELS]);
  await using app = await openTestContext({
    db,
    log: quiet,
    config: loadConfig({
      SOURCES: "simulator",
      SIMULATOR_SEED: "42",
      SIMULATOR_START: "2024-06-03",
      SEED_REPLAY_DAYS: "200",
      PREDICT_HORIZONS: "1,5",
      DATA_DIR: dir.path,
    }),
  });
  for (const job of [createCrawlJob(), createEmbedJob()]) {
    assert.equal((await runJob(job, app)).status, "succeeded");
  }
  await replayRecentHistory(app, quiet, new AbortController().signal, NOW);
  assert.equal((await runJob(createEvaluateJob(), app)).status, "succeeded");

  const board = await latestSnapshots(db.sql, {
    mode: "replay",
    population: "clean",
    windowDays: null,
  });
  const byName = new Map(
    board.flatMap((row) => row.snapshot ? [[row.model.name, row.snapshot.metrics] as const] : []),
  );
  const report = [...byName].map(([name, m]) =>
    `${name}: n=${m.n} win=${m.winRate?.value.toFixed(3)} mean=${m.meanStrategyReturn?.toFixed(5)}`
  ).join("\n");
  const win = (name: string) => byName.get(name)?.winRate?.value ?? NaN;
  assert.ok(byName.get("always-up")!.n > 1_000, report);
  const mean = (name: string) => byName.get(name)?.meanStrategyReturn ?? NaN;
  for (const reader of ["news-tone", "news-analogs"]) {
    assert.ok(win(reader) > win("always-up"), `${reader} win rate\n${report}`);
    assert.ok(mean(reader) > mean("always-up"), `${reader} mean strategy return\n${report}`);
  }
});
