// The first start's demo: a replay of the built-in models over recent history, so the
// leaderboard and the model pages have data within minutes instead of after weeks of live runs.
import type { AppContext } from "../context.ts";
import type { JobCounts } from "../jobs/job.ts";
import type { Logger } from "../log.ts";
import { listModels } from "../models/store.ts";
import { listStocks } from "../stocks/store.ts";
import { SpendingGuard, tallyInto } from "./predict.ts";
import { replayPredictions } from "./replay.ts";

/** Replays the active built-in models over the last `config.seedReplayDays` trading days. */
export async function replayRecentHistory(
  app: AppContext,
  log: Logger,
  signal: AbortSignal,
  now = new Date(),
): Promise<JobCounts> {
  const counts: JobCounts = {};
  const days = app.config.seedReplayDays;
  if (days === 0) return counts;
  const { sql } = app.db;
  const models = (await listModels(sql, { activeOnly: true }))
    .filter((model) => model.provider === "builtin");
  const stocks = await listStocks(sql, { activeOnly: true });
  // Trading days to calendar days: five in seven, plus a week for holidays.
  const from = new Date(now.getTime() - (Math.ceil(days * 7 / 5) + 7) * 86_400_000);
  const started = performance.now();
  const stockDays = await replayPredictions({
    app,
    llm: () => null,
    spending: new SpendingGuard(app, () => now),
    log,
    tally: tallyInto(counts),
    signal,
  }, {
    from: from.toISOString().slice(0, 10),
    // Up to yesterday: today's close is left to the live predict job (the unique key spans live
    // and replay, so a replayed today would leave the dashboard's live signals empty).
    to: new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10),
    models,
    stocks,
    horizons: app.config.predict.horizons,
  });
  log.info("replayed the built-in models over recent history", {
    stockDays,
    ms: Math.round(performance.now() - started),
    ...counts,
  });
  return counts;
}
