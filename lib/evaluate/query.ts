// Reading evaluations (lib/evaluate/store.ts writes them): each model's current metric snapshot,
// its daily curve against buy-and-hold, its per-stock record, and scored predictions for the
// metrics computed on demand (paired comparisons, A/B experiments) and by the evaluate job.
import type { ISql } from "postgres";
import type { Provider } from "../models/model.ts";
import type { Direction, PredictionMode } from "../predict/types.ts";
import type { MetricsSummary, OutcomeResult, ScoredPrediction } from "./types.ts";

export const POPULATIONS = ["clean", "contaminated"] as const;
/**
 * Which predictions count: "clean" leaves out those made before the model's knowledge cutoff,
 * "contaminated" is only those (DESIGN §5: reported apart, never mixed).
 */
export type Population = typeof POPULATIONS[number];

/** The index ETF whose return over the same days is the market benchmark. */
export const INDEX_SYMBOL = "SPY";

/** Which snapshot: live and replay never mix, and windows are days of exits (null: all time). */
export interface SnapshotKey {
  mode: PredictionMode;
  population: Population;
  /** 30 or 90 days up to the model's latest exit day; null for all time. */
  windowDays: number | null;
}

export interface EvaluatedModel {
  id: number;
  name: string;
  provider: Provider;
  active: boolean;
}

/** What the evaluate job last computed for a model. */
export interface LatestSnapshot {
  metrics: MetricsSummary;
  /** First and last exit day counted; null when nothing was. */
  periodStart: string | null;
  periodEnd: string | null;
  computedAt: Date;
}

export interface ModelSnapshot {
  model: EvaluatedModel;
  /** Null until the evaluate job has run for this model (and key). */
  snapshot: LatestSnapshot | null;
}

interface SnapshotRow {
  id: number;
  name: string;
  provider: Provider;
  active: boolean;
  metrics: MetricsSummary | null;
  period_start: string | null;
  period_end: string | null;
  computed_at: Date | null;
}

function toModelSnapshot(row: SnapshotRow): ModelSnapshot {
  return {
    model: { id: row.id, name: row.name, provider: row.provider, active: row.active },
    snapshot: row.metrics === null || row.computed_at === null ? null : {
      metrics: row.metrics,
      periodStart: row.period_start,
      periodEnd: row.period_end,
      computedAt: row.computed_at,
    },
  };
}

/** Models (`only`: one of them) with their latest whole-model snapshot for `key`. */
function snapshotsOf(sql: ISql, key: SnapshotKey, only: number | null) {
  // Spelled out rather than `is not distinct from`, so the index on window_days serves both.
  const inWindow = key.windowDays === null
    ? sql`e.window_days is null`
    : sql`e.window_days = ${key.windowDays}`;
  // A retired model stays on the board while it has something to show.
  const models = only === null ? sql`(m.active or e.computed_at is not null)` : sql`m.id = ${only}`;
  return sql<SnapshotRow[]>`
    select m.id, m.name, m.provider, m.active, e.metrics, e.period_start, e.period_end,
      e.computed_at
    from model m
    left join lateral (
      select e.metrics, e.period_start, e.period_end, e.computed_at from evaluation e
      where e.model_id = m.id and e.variant is null and e.stock_id is null
        and e.mode = ${key.mode} and e.population = ${key.population} and ${inWindow}
      order by e.computed_at desc, e.id desc
      limit 1
    ) e on true
    where ${models}
    order by m.name`;
}

/** Every active model (and every retired one with a snapshot), by name, with its snapshot. */
export async function latestSnapshots(sql: ISql, key: SnapshotKey): Promise<ModelSnapshot[]> {
  return (await snapshotsOf(sql, key, null)).map(toModelSnapshot);
}

/** One model with its latest snapshot for `key`; null when there is no such model. */
export async function modelSnapshot(
  sql: ISql,
  modelId: number,
  key: SnapshotKey,
): Promise<ModelSnapshot | null> {
  const [row] = await snapshotsOf(sql, key, modelId);
  return row ? toModelSnapshot(row) : null;
}

/** One exit day of a model's clean predictions, compounded from its first day. */
export interface CurvePoint {
  date: string;
  n: number;
  /** Mean strategy return of the day's predictions, and compounded to date. */
  strategyReturn: number;
  cumulativeReturn: number;
  /** Mean return of holding the same stocks over the same windows, and compounded to date. */
  buyAndHoldReturn: number;
  buyAndHoldCumulativeReturn: number;
  /** Strategy equity below its running peak (starting equity 1 included): 0 or negative. */
  drawdown: number;
}

/**
 * A model's equity curve in `mode` from `daily_performance` (clean predictions, oldest day
 * first), beside buying and holding what it predicted: each day, the mean return of the stocks
 * over the windows of the predictions resolved that day, so a stock counts as often as it was
 * predicted.
 */
export async function dailyCurve(
  sql: ISql,
  modelId: number,
  mode: PredictionMode,
): Promise<CurvePoint[]> {
  return await sql<CurvePoint[]>`
    with held as (
      select o.exit_date, avg(o.realized_return) as mean_return
      from prediction p join prediction_outcome o on o.prediction_id = p.id
      where p.model_id = ${modelId} and p.mode = ${mode} and not p.contaminated
      group by o.exit_date
    ), days as (
      select d.date, d.n, d.strategy_return, d.cumulative_return,
        coalesce(held.mean_return, 0) as buy_and_hold_return
      from daily_performance d left join held on held.exit_date = d.date
      where d.model_id = ${modelId} and d.mode = ${mode}
    )
    select to_char(date, 'YYYY-MM-DD') as date, n, strategy_return as "strategyReturn",
      cumulative_return as "cumulativeReturn", buy_and_hold_return as "buyAndHoldReturn",
      -- Every return is above -1 (a close is positive), so the logarithms exist.
      exp(sum(ln(1 + buy_and_hold_return)) over so_far) - 1 as "buyAndHoldCumulativeReturn",
      (1 + cumulative_return) / greatest(1, max(1 + cumulative_return) over so_far) - 1
        as drawdown
    from days
    window so_far as (order by date rows between unbounded preceding and current row)
    order by date`;
}

/** Which scored predictions to read; every filter narrows. */
export interface ScoredFilters {
  modelId?: number;
  stockId?: number;
  mode: PredictionMode;
  population: Population;
  /** First and last exit day, inclusive (YYYY-MM-DD): a snapshot's period. */
  from?: string;
  to?: string;
}

interface ScoredRow {
  id: number;
  model_id: number;
  stock_id: number;
  as_of: Date;
  horizon: number;
  direction: Direction;
  confidence: number;
  realized_return: number;
  result: OutcomeResult;
  exit_date: string;
  index_return: number | null;
  variant: string | null;
}

function toScored(row: ScoredRow): ScoredPrediction {
  return {
    id: row.id,
    modelId: row.model_id,
    stockId: row.stock_id,
    asOf: row.as_of,
    horizon: row.horizon,
    direction: row.direction,
    confidence: row.confidence,
    realizedReturn: row.realized_return,
    result: row.result,
    exitDate: row.exit_date,
    indexReturn: row.index_return,
  };
}

function scoredConditions(sql: ISql, filters: ScoredFilters) {
  const { modelId, stockId, mode, population, from, to } = filters;
  return [
    modelId === undefined ? sql`true` : sql`p.model_id = ${modelId}`,
    stockId === undefined ? sql`true` : sql`p.stock_id = ${stockId}`,
    sql`p.mode = ${mode}`,
    population === "clean" ? sql`not p.contaminated` : sql`p.contaminated`,
    from === undefined ? sql`true` : sql`o.exit_date >= ${from}::date`,
    to === undefined ? sql`true` : sql`o.exit_date <= ${to}::date`,
  ].reduce((all, condition) => sql`${all} and ${condition}`);
}

/**
 * Labelled predictions with their outcome and the index's return over the same bars: from its
 * close on the entry day to its close on the exit day, null when it lacks either bar (adjusted
 * closes when both have one, as outcomes are labelled).
 */
function scoredWhere(sql: ISql, condition: ReturnType<typeof scoredConditions>) {
  return sql<ScoredRow[]>`
    select p.id, p.model_id, p.stock_id, p.as_of, p.horizon, p.direction, p.confidence,
      o.realized_return, o.result, to_char(o.exit_date, 'YYYY-MM-DD') as exit_date, p.variant,
      case when idx_entry.adj_close is not null and idx_exit.adj_close is not null
        then idx_exit.adj_close / idx_entry.adj_close
        else idx_exit.close / idx_entry.close
      end - 1 as index_return
    from prediction p
    join prediction_outcome o on o.prediction_id = p.id
    left join stock idx on idx.symbol = ${INDEX_SYMBOL}
    left join price_bar idx_entry on idx_entry.stock_id = idx.id and idx_entry.date = o.entry_date
    left join price_bar idx_exit on idx_exit.stock_id = idx.id and idx_exit.date = o.exit_date
    where ${condition}
    order by o.exit_date, p.as_of, p.id`;
}

/** Scored predictions matching `filters`, by exit day, then as-of, then id. */
export async function scoredPredictions(
  sql: ISql,
  filters: ScoredFilters,
): Promise<ScoredPrediction[]> {
  return (await scoredWhere(sql, scoredConditions(sql, filters))).map(toScored);
}

export interface VariantScoredPrediction extends ScoredPrediction {
  variant: string;
}

/** The scored predictions made for an A/B experiment, each with its variant. */
export async function experimentScored(
  sql: ISql,
  abTestId: number,
  key: Pick<ScoredFilters, "mode" | "population">,
): Promise<VariantScoredPrediction[]> {
  const rows = await scoredWhere(
    sql,
    sql`p.ab_test_id = ${abTestId} and p.variant is not null
      and ${scoredConditions(sql, key)}`,
  );
  return rows.map((row) => ({ ...toScored(row), variant: row.variant ?? "" }));
}

/** How a model did on one stock. */
export interface StockRecord {
  stockId: number;
  symbol: string;
  name: string;
  n: number;
  wins: number;
  losses: number;
  flats: number;
  /** Mean of return × (+1 up, −1 down, 0 flat). */
  meanStrategyReturn: number;
  /** Mean return of holding the stock over the same windows. */
  meanReturn: number;
}

/** A model's scored predictions grouped by stock, the most predicted first. */
export async function perStockRecord(
  sql: ISql,
  modelId: number,
  filters: Omit<ScoredFilters, "modelId" | "stockId">,
): Promise<StockRecord[]> {
  return await sql<StockRecord[]>`
    select s.id as "stockId", s.symbol, s.name, count(*)::int as n,
      count(*) filter (where o.result = 'win')::int as wins,
      count(*) filter (where o.result = 'loss')::int as losses,
      count(*) filter (where o.result = 'flat')::int as flats,
      avg(o.realized_return * case p.direction when 'up' then 1 when 'down' then -1 else 0 end)
        as "meanStrategyReturn",
      avg(o.realized_return) as "meanReturn"
    from prediction p
    join prediction_outcome o on o.prediction_id = p.id
    join stock s on s.id = p.stock_id
    where ${scoredConditions(sql, { ...filters, modelId })}
    group by s.id
    order by n desc, s.symbol`;
}
