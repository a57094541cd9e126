// The write side of evaluation: `daily_performance` per model, mode and day, and `evaluation`
// snapshots (lib/evaluate/query.ts reads them for the API and pages).
import type { ISql, Sql } from "postgres";
import type { PredictionMode } from "../predict/types.ts";
import type { MetricsSummary } from "./types.ts";

/** One model's resolved predictions of one day (contaminated ones left out). */
export interface DailyAggregate {
  date: string;
  n: number;
  wins: number;
  losses: number;
  flats: number;
  /** Mean strategy return of the day's predictions. */
  strategyReturn: number;
}

/** Per exit day: counts and mean strategy return of a model's clean predictions in `mode`. */
export async function dailyAggregates(
  sql: ISql,
  modelId: number,
  mode: PredictionMode,
): Promise<DailyAggregate[]> {
  return await sql<DailyAggregate[]>`
    select to_char(o.exit_date, 'YYYY-MM-DD') as date, count(*)::int as n,
      count(*) filter (where o.result = 'win')::int as wins,
      count(*) filter (where o.result = 'loss')::int as losses,
      count(*) filter (where o.result = 'flat')::int as flats,
      avg(o.realized_return * case p.direction when 'up' then 1 when 'down' then -1 else 0 end)
        as "strategyReturn"
    from prediction p join prediction_outcome o on o.prediction_id = p.id
    where p.model_id = ${modelId} and p.mode = ${mode} and not p.contaminated
    group by o.exit_date
    order by o.exit_date`;
}

/** Replaces a model's daily performance in `mode` with `days` (compounded), in one transaction. */
export async function replaceDailyPerformance(
  sql: Sql,
  modelId: number,
  mode: PredictionMode,
  days: readonly DailyAggregate[],
): Promise<void> {
  let equity = 1;
  const rows = days.map((day) => {
    equity *= 1 + day.strategyReturn;
    return {
      model_id: modelId,
      mode,
      date: day.date,
      n: day.n,
      wins: day.wins,
      losses: day.losses,
      flats: day.flats,
      strategy_return: day.strategyReturn,
      cumulative_return: equity - 1,
    };
  });
  await sql.begin(async (tx) => {
    await tx`delete from daily_performance where model_id = ${modelId} and mode = ${mode}`;
    // In chunks: one statement's parameters are limited (65,535 in the protocol).
    for (let start = 0; start < rows.length; start += 5_000) {
      await tx`insert into daily_performance ${tx(rows.slice(start, start + 5_000))}`;
    }
  });
}

export interface Snapshot {
  modelId: number;
  mode: PredictionMode;
  population: "clean" | "contaminated";
  /** 30, 90, or null for all time. */
  windowDays: number | null;
  periodStart: string | null;
  periodEnd: string | null;
  metrics: MetricsSummary;
}

/** Stores snapshots computed together, in one transaction. */
export async function insertSnapshots(sql: Sql, snapshots: readonly Snapshot[]): Promise<void> {
  if (snapshots.length === 0) return;
  await sql.begin(async (tx) => {
    for (const s of snapshots) {
      await tx`
        insert into evaluation (model_id, mode, population, window_days, period_start,
          period_end, n, metrics)
        values (${s.modelId}, ${s.mode}, ${s.population}, ${s.windowDays}, ${s.periodStart},
          ${s.periodEnd}, ${s.metrics.n}, ${tx.json(s.metrics as never)})`;
    }
  });
}

/** Snapshots computed before `keepSince`, except each key's latest, are history: trimmed. */
export async function trimSnapshots(sql: ISql, keepSince: Date): Promise<number> {
  const result = await sql`
    delete from evaluation e
    where e.computed_at < ${keepSince}
      and exists (
        select 1 from evaluation newer
        where newer.model_id = e.model_id and newer.mode = e.mode
          and newer.population = e.population
          and newer.window_days is not distinct from e.window_days
          and newer.computed_at > e.computed_at)`;
  return result.count;
}
