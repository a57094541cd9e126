// Replays predictions over history, day by day, through exactly the live code path
// (predictStock) with as-of = each bar's close and mode "replay". Existing predictions are
// skipped, so an interrupted replay resumes where it stopped.
import { listExperiments } from "../experiments/store.ts";
import { closesBetween } from "../market/store.ts";
import type { Model } from "../models/model.ts";
import type { Stock } from "../stocks/stock.ts";
import { planAssignments } from "./plan.ts";
import { type PredictDeps, predictStock } from "./predict.ts";

export interface ReplayRequest {
  /** Trading days, inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
  models: readonly Model[];
  stocks: readonly Stock[];
  horizons: readonly number[];
  /** Called after each stock-day with how many are done of how many. */
  onProgress?: (done: number, total: number) => void;
}

/** Returns the number of stock-days processed (all of them unless `deps.signal` aborted). */
export async function replayPredictions(
  deps: PredictDeps,
  request: ReplayRequest,
): Promise<number> {
  const { sql } = deps.app.db;
  const bySymbolId = new Map(request.stocks.map((stock) => [stock.id, stock]));
  const [closes, experiments] = await Promise.all([
    closesBetween(sql, [...bySymbolId.keys()], request.from, request.to),
    // Experiments of every status: whether one applied is decided as of each past day.
    listExperiments(sql),
  ]);
  let done = 0;
  for (const close of closes) {
    if (deps.signal?.aborted) break;
    const stock = bySymbolId.get(close.stockId)!;
    await predictStock(deps, {
      stock,
      asOf: close.closedAt,
      mode: "replay",
      horizons: request.horizons,
      assignments: planAssignments(request.models, experiments, stock.symbol, close.closedAt),
    });
    done++;
    request.onProgress?.(done, closes.length);
  }
  return done;
}

/** "[#########-----------]  45%  1,234/2,740 stock-days  35.2/s  ETA 0:43" */
export function replayProgressLine(done: number, total: number, elapsedMs: number, width = 20) {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * width);
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? formatDuration(((total - done) / rate) * 1000) : "–";
  const count = new Intl.NumberFormat("en-US");
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${
    `${Math.floor(share * 100)}%`.padStart(4)
  }  ${count.format(done)}/${count.format(total)} stock-days  ${rate.toFixed(1)}/s  ETA ${eta}`;
}

/** 43_000 → "0:43", 3_723_000 → "1:02:03". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
