// Evaluation reports: the leaderboard, one model, two models side by side, an A/B experiment.
// Built from the evaluate job's snapshots and daily curves, and from scored predictions where a
// view needs a paired test or a summary the job does not keep. /api/evaluations serialises these;
// the /models and /experiments pages render them.
import type { ISql } from "postgres";
import type { Config } from "../config.ts";
import { comparePaired, summarize } from "../evaluate/metrics/summary.ts";
import {
  type CurvePoint,
  dailyCurve,
  type EvaluatedModel,
  experimentScored,
  latestSnapshots,
  type ModelSnapshot,
  modelSnapshot,
  perStockRecord,
  type ScoredFilters,
  scoredPredictions,
  type StockRecord,
} from "../evaluate/query.ts";
import type { CalibrationBucket, PairedComparison, ScoredPrediction } from "../evaluate/types.ts";
import type { Experiment } from "../experiments/experiment.ts";
import { getExperiment } from "../experiments/store.ts";
import { NotFound } from "../http/errors.ts";
import { listModels } from "../models/store.ts";
import {
  favoured,
  METRICS,
  type MetricsView,
  metricsView,
  type PairedTest,
  rankBy,
  type RankMetric,
} from "./evaluations_metrics.ts";
import { type EvaluationView, snapshotKey } from "./evaluations_params.ts";

/** What a paired comparison says, read by both tests. */
export interface PairedResult {
  comparison: PairedComparison;
  favoured: Record<PairedTest, "a" | "b" | null>;
}

function pairedResult(
  a: readonly ScoredPrediction[],
  b: readonly ScoredPrediction[],
): PairedResult {
  // comparePaired's bootstrap has a fixed default seed: the same predictions, the same interval.
  const comparison = comparePaired(a, b);
  return {
    comparison,
    favoured: {
      mcnemar: favoured(comparison, "mcnemar"),
      bootstrap: favoured(comparison, "bootstrap"),
    },
  };
}

/**
 * The exit days a model's snapshot counted, as scored-prediction filters; null when it counted
 * nothing knowable. Without a snapshot (the job has not run yet) "all time" is simply everything.
 */
function countedPeriod(
  { snapshot }: ModelSnapshot,
  view: EvaluationView,
): Pick<ScoredFilters, "from" | "to"> | null {
  if (snapshot?.periodStart && snapshot.periodEnd) {
    return { from: snapshot.periodStart, to: snapshot.periodEnd };
  }
  return view.window === "all" ? {} : null;
}

/** The scored predictions behind a model's snapshot. */
async function countedPredictions(
  sql: ISql,
  counted: ModelSnapshot,
  view: EvaluationView,
): Promise<ScoredPrediction[]> {
  const period = countedPeriod(counted, view);
  if (period === null) return [];
  const { mode, population } = view;
  return await scoredPredictions(sql, { modelId: counted.model.id, mode, population, ...period });
}

async function compareCounted(
  sql: ISql,
  a: ModelSnapshot,
  b: ModelSnapshot,
  view: EvaluationView,
): Promise<PairedResult> {
  const [x, y] = await Promise.all([
    countedPredictions(sql, a, view),
    countedPredictions(sql, b, view),
  ]);
  return pairedResult(x, y);
}

export interface Standing {
  /** 1 for the best; null without a value for the ranking metric (no data). */
  rank: number | null;
  model: EvaluatedModel;
  metrics: MetricsView;
  periodStart: string | null;
  periodEnd: string | null;
  computedAt: Date | null;
  /** The leader's only: whether its lead is more than chance (see `Lead`); null for the rest. */
  significantlyAhead: boolean | null;
}

/** The leader against the runner-up, on the predictions both made. */
export interface Lead extends PairedResult {
  leader: EvaluatedModel;
  runnerUp: EvaluatedModel;
  /** The test that fits the ranking metric (lib/api/evaluations_metrics.ts). */
  test: PairedTest;
  significant: boolean;
}

export interface Leaderboard {
  view: EvaluationView;
  rankBy: RankMetric;
  standings: Standing[];
  /** Null with fewer than two ranked models. */
  lead: Lead | null;
}

export async function leaderboard(
  sql: ISql,
  view: EvaluationView,
  rankMetric: RankMetric,
): Promise<Leaderboard> {
  const metric = METRICS[rankMetric];
  const ranked = rankBy(
    (await latestSnapshots(sql, snapshotKey(view))).map((entry) => ({
      entry,
      view: metricsView(entry.snapshot?.metrics ?? null),
      name: entry.model.name,
    })),
    metric,
    (row) => row,
  );
  const [first, second] = ranked;
  const contested = first && second && metric.value(second.view) !== null;
  let lead: Lead | null = null;
  if (contested) {
    const result = await compareCounted(sql, first.entry, second.entry, view);
    lead = {
      leader: first.entry.model,
      runnerUp: second.entry.model,
      test: metric.test,
      ...result,
      significant: result.favoured[metric.test] === "a",
    };
  }
  return {
    view,
    rankBy: rankMetric,
    lead,
    standings: ranked.map(({ entry: { model, snapshot }, view: metrics }, index) => ({
      rank: metric.value(metrics) === null ? null : index + 1,
      model,
      metrics,
      periodStart: snapshot?.periodStart ?? null,
      periodEnd: snapshot?.periodEnd ?? null,
      computedAt: snapshot?.computedAt ?? null,
      significantlyAhead: index === 0 && lead ? lead.significant : null,
    })),
  };
}

export interface StockStanding extends StockRecord {
  /** wins / (wins + losses); null with neither. */
  winRate: number | null;
}

export interface ModelReport {
  model: EvaluatedModel;
  view: EvaluationView;
  metrics: MetricsView;
  calibration: CalibrationBucket[];
  periodStart: string | null;
  periodEnd: string | null;
  computedAt: Date | null;
  /**
   * All-time daily curve of the clean predictions in the view's mode (the job keeps no other);
   * empty for the contaminated population.
   */
  curve: CurvePoint[];
  stocks: StockStanding[];
}

async function existingSnapshot(sql: ISql, id: number, view: EvaluationView) {
  const found = await modelSnapshot(sql, id, snapshotKey(view));
  if (!found) throw new NotFound(`no model ${id}`);
  return found;
}

export async function modelReport(
  sql: ISql,
  id: number,
  view: EvaluationView,
): Promise<ModelReport> {
  const counted = await existingSnapshot(sql, id, view);
  const { model, snapshot } = counted;
  const period = countedPeriod(counted, view);
  const { mode, population } = view;
  const [curve, stocks] = await Promise.all([
    population === "clean" ? dailyCurve(sql, model.id, mode) : [],
    period === null ? [] : perStockRecord(sql, model.id, { mode, population, ...period }),
  ]);
  const metrics = metricsView(snapshot?.metrics ?? null);
  return {
    model,
    view,
    metrics,
    calibration: metrics.n > 0 ? snapshot?.metrics.calibration ?? [] : [],
    periodStart: snapshot?.periodStart ?? null,
    periodEnd: snapshot?.periodEnd ?? null,
    computedAt: snapshot?.computedAt ?? null,
    curve,
    stocks: stocks.map((record) => ({
      ...record,
      winRate: record.wins + record.losses > 0 ? record.wins / (record.wins + record.losses) : null,
    })),
  };
}

export interface ModelComparison extends PairedResult {
  view: EvaluationView;
  a: { model: EvaluatedModel; metrics: MetricsView };
  b: { model: EvaluatedModel; metrics: MetricsView };
}

export async function compareModels(
  sql: ISql,
  ids: { a: number; b: number },
  view: EvaluationView,
): Promise<ModelComparison> {
  const [a, b] = await Promise.all([
    existingSnapshot(sql, ids.a, view),
    existingSnapshot(sql, ids.b, view),
  ]);
  const side = ({ model, snapshot }: ModelSnapshot) => ({
    model,
    metrics: metricsView(snapshot?.metrics ?? null),
  });
  return { view, a: side(a), b: side(b), ...(await compareCounted(sql, a, b, view)) };
}

export interface VariantReport {
  name: string;
  /** Null when the variant's model no longer exists. */
  model: EvaluatedModel | null;
  weight: number;
  metrics: MetricsView;
  calibration: CalibrationBucket[];
}

export interface VariantComparison extends PairedResult {
  a: string;
  b: string;
}

export interface ExperimentReport {
  experiment: Experiment;
  view: Pick<EvaluationView, "mode" | "population">;
  variants: VariantReport[];
  /** Every pair of variants, in variant order. */
  comparisons: VariantComparison[];
}

/** How summaries are computed, as the evaluate job does (config.evaluate). */
export type EvaluationCosts = Config["evaluate"];

export async function experimentReport(
  sql: ISql,
  id: number,
  view: Pick<EvaluationView, "mode" | "population">,
  costs: EvaluationCosts,
): Promise<ExperimentReport> {
  const experiment = await getExperiment(sql, id);
  if (!experiment) throw new NotFound(`no experiment ${id}`);
  const [scored, models] = await Promise.all([
    experimentScored(sql, id, view),
    listModels(sql),
  ]);
  const byVariant = experiment.variants.map((variant) =>
    scored.filter((prediction) => prediction.variant === variant.name)
  );
  const variants = experiment.variants.map((variant, index) => {
    const model = models.find((m) => m.id === variant.modelId);
    const summary = summarize(byVariant[index], {
      costBps: costs.costBps,
      flatThreshold: costs.flatBand,
    });
    const metrics = metricsView(summary);
    return {
      name: variant.name,
      model: model
        ? { id: model.id, name: model.name, provider: model.provider, active: model.active }
        : null,
      weight: variant.weight,
      metrics,
      calibration: metrics.n > 0 ? summary.calibration : [],
    };
  });
  const comparisons = experiment.variants.flatMap((a, i) =>
    experiment.variants.slice(i + 1).map((b, offset) => ({
      a: a.name,
      b: b.name,
      ...pairedResult(byVariant[i], byVariant[i + 1 + offset]),
    }))
  );
  return { experiment, view, variants, comparisons };
}
