// Everything the dashboard shows, read in one place: what data there is, the market's last day,
// which models have earned trust (trust.ts) and their strongest calls, a leaderboard summary and
// the newest live predictions the live list starts from.
import type { ISql } from "postgres";
import { METRICS, type MetricsView, metricsView, rankBy } from "../api/evaluations_metrics.ts";
import { type EvaluatedModel, latestSnapshots } from "../evaluate/query.ts";
import type { LiveSignal } from "../live/signal.ts";
import type { PredictionMode } from "../predict/types.ts";
import {
  latestLiveSignals,
  latestPredictionId,
  type ListedPrediction,
  strongestSignals,
} from "../predictions/query.ts";
import { type MarketOverview, marketOverview } from "./market.ts";
import { type DataCounts, dataCounts } from "./store.ts";
import { judgeTrust, type TrustVerdict } from "./trust.ts";

const SIGNALS = 8;
const LEADERS = 5;
/** Live predictions the live list starts with and keeps at most. */
export const LIVE_LIST_LENGTH = 10;

export interface RatedModel {
  model: EvaluatedModel;
  verdict: TrustVerdict;
}

export interface LeaderboardSummary {
  /** Live once any model has a scored live prediction; replay until then. */
  mode: PredictionMode;
  /** The best few by win rate, among models with scored predictions in `mode`. */
  standings: { rank: number; model: EvaluatedModel; metrics: MetricsView; trusted: boolean }[];
}

export interface Dashboard {
  /** Null when the tables don't exist yet (migrations not applied): nothing else is read. */
  counts: DataCounts | null;
  market: MarketOverview | null;
  models: RatedModel[];
  signals: ListedPrediction[];
  leaderboard: LeaderboardSummary;
  live: {
    signals: LiveSignal[];
    /** The stream sends what is stored after this id. */
    after: number;
  };
}

const EMPTY: Omit<Dashboard, "counts"> = {
  market: null,
  models: [],
  signals: [],
  leaderboard: { mode: "live", standings: [] },
  live: { signals: [], after: 0 },
};

export async function loadDashboard(sql: ISql): Promise<Dashboard> {
  const counts = await dataCounts(sql);
  if (counts === null) return { counts, ...EMPTY };
  const key = { population: "clean", windowDays: null } as const;
  const [live, replay, market, liveSignals, after] = await Promise.all([
    latestSnapshots(sql, { ...key, mode: "live" }),
    latestSnapshots(sql, { ...key, mode: "replay" }),
    marketOverview(sql),
    latestLiveSignals(sql, LIVE_LIST_LENGTH),
    latestPredictionId(sql),
  ]);
  const views = (snapshots: typeof live) =>
    new Map(
      snapshots.map(({ model, snapshot }) => [model.id, metricsView(snapshot?.metrics ?? null)]),
    );
  const [liveViews, replayViews] = [views(live), views(replay)];
  const none = metricsView(null);
  const models = live.map(({ model }) => ({
    model,
    verdict: judgeTrust(liveViews.get(model.id) ?? none, replayViews.get(model.id) ?? none),
  }));
  const trusted = new Set(models.filter((m) => m.verdict.trusted).map((m) => m.model.id));
  const mode: PredictionMode = [...liveViews.values()].some((view) => view.n > 0)
    ? "live"
    : "replay";
  const boardViews = mode === "live" ? liveViews : replayViews;
  const scored = models
    .map(({ model }) => ({ model, metrics: boardViews.get(model.id) ?? none }))
    .filter((row) => row.metrics.n > 0);
  const standings = rankBy(scored, METRICS.winRate, (row) => ({
    view: row.metrics,
    name: row.model.name,
  }))
    .slice(0, LEADERS)
    .map((row, index) => ({ rank: index + 1, ...row, trusted: trusted.has(row.model.id) }));
  const signals = await strongestSignals(sql, {
    models: models.filter((m) => trusted.has(m.model.id)).map((m) => m.model.name),
    limit: SIGNALS,
  });
  return {
    counts,
    market,
    models,
    signals,
    leaderboard: { mode, standings },
    live: { signals: liveSignals, after },
  };
}
