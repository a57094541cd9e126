// Stores what the evaluate job would have written (metric snapshots and daily performance), with
// plain SQL, so read-side tests need not run the job; models must already be stored
// (tests/support/predictions.ts). `seedEvaluations` stores a whole small evaluated world.
import type { Sql } from "postgres";
import type { Population } from "../../lib/evaluate/query.ts";
import type { MetricsSummary } from "../../lib/evaluate/types.ts";
import type { PredictionMode } from "../../lib/predict/types.ts";
import { addTestModels, addTestPredictions } from "./predictions.ts";

/** A summary of `n` predictions with every metric null or zero, then `overrides`. */
export function testSummary(overrides: Partial<MetricsSummary> = {}): MetricsSummary {
  return {
    n: 0,
    wins: 0,
    losses: 0,
    flats: 0,
    winRate: null,
    pValue: null,
    meanStrategyReturn: null,
    cumulativeReturn: 0,
    meanNetReturn: null,
    cumulativeNetReturn: 0,
    excessVsBuyAndHold: null,
    excessVsIndex: null,
    sharpe: null,
    sortino: null,
    maxDrawdown: 0,
    brier: null,
    calibration: [],
    ic: { mean: null, std: null, ir: null, days: 0 },
    ...overrides,
  };
}

export interface TestSnapshotSpec {
  /** A stored model's name. */
  model: string;
  mode?: PredictionMode;
  population?: Population;
  /** 30, 90 or null (all time, the default). */
  windowDays?: number | null;
  periodStart?: string | null;
  periodEnd?: string | null;
  metrics: MetricsSummary;
  /** Default now. */
  computedAt?: string;
  /** A per-variant or per-stock snapshot, which the whole-model views must ignore. */
  variant?: string;
  stockSymbol?: string;
}

/** Stores evaluation snapshots in the order given. */
export async function addTestSnapshots(sql: Sql, specs: TestSnapshotSpec[]): Promise<void> {
  for (const spec of specs) {
    const [stored] = await sql`
      insert into evaluation (model_id, variant, stock_id, window_days, period_start, period_end,
        mode, population, n, metrics, computed_at)
      select m.id, ${spec.variant ?? null},
        (select s.id from stock s where s.symbol = ${spec.stockSymbol ?? null}),
        ${spec.windowDays ?? null}::int, ${spec.periodStart ?? null}::date,
        ${spec.periodEnd ?? null}::date, ${spec.mode ?? "live"}, ${spec.population ?? "clean"},
        ${spec.metrics.n}, ${sql.json(spec.metrics as never)},
        coalesce(${spec.computedAt ?? null}::timestamptz, now())
      from model m where m.name = ${spec.model}
      returning id`;
    if (!stored) throw new Error(`no model ${spec.model} stored`);
  }
}

export interface TestDay {
  date: string;
  n: number;
  /** Mean strategy return of the day; the cumulative return compounds these in date order. */
  strategyReturn: number;
}

/** Stores a model's daily performance in `mode` (counts: all wins). */
export async function addTestDailyPerformance(
  sql: Sql,
  model: string,
  mode: PredictionMode,
  days: TestDay[],
): Promise<void> {
  let equity = 1;
  for (const day of [...days].sort((a, b) => a.date < b.date ? -1 : 1)) {
    equity *= 1 + day.strategyReturn;
    await sql`
      insert into daily_performance (model_id, mode, date, n, wins, losses, flats,
        strategy_return, cumulative_return)
      select m.id, ${mode}, ${day.date}::date, ${day.n}, ${day.n}, 0, 0, ${day.strategyReturn},
        ${equity - 1}
      from model m where m.name = ${model}`;
  }
}

/** What `seedEvaluations` stored. */
export interface EvaluatedSeed {
  models: { alpha: number; beta: number; gamma: number; idle: number; fresh: number };
  experiment: number;
}

const SHARED_DAYS = ["01", "02", "03", "04", "05", "06", "07", "08"];
/** The stocks alpha and beta called alike on the shared days (they split on AAPL). */
const AGREED_SYMBOLS = ["AMZN", "GOOGL", "META"];

/**
 * A small evaluated world, as if the evaluate job had run over live predictions:
 * - alpha (builtin) and beta (openai) made the same 32 calls, on AAPL, AMZN, GOOGL and META each
 *   of 8 days, every stock rising 1%: on AAPL alpha said up and beta down, on the rest both said
 *   up. So 8 discordant pairs, all alpha's (McNemar p = 2 × (1/2)^8), and a mean return lead of
 *   8 × 2% / 32 = 0.5% over enough shared calls for the bootstrap (30, MIN_BOOTSTRAP_PAIRS): a
 *   lead both tests call significant;
 * - their snapshots rank alpha first by win rate, beta first by Sharpe, drawdown and Brier;
 *   gamma has 2 predictions and weaker numbers; idle has an empty snapshot (n 0, as the job
 *   writes one for a model without predictions); fresh has no snapshot at all;
 * - experiment "judges" puts alpha (variant A, MSFT: 2 wins) against beta (B, NVDA: 1 win,
 *   1 loss): stocks are assigned to one variant, so the variants share no prediction.
 */
export async function seedEvaluations(sql: Sql): Promise<EvaluatedSeed> {
  await sql`
    insert into stock (symbol, exchange, name) values
      ('AAPL', 'NASDAQ', 'Apple Inc.'), ('MSFT', 'NASDAQ', 'Microsoft Corporation'),
      ('NVDA', 'NASDAQ', 'NVIDIA Corporation'), ('AMZN', 'NASDAQ', 'Amazon.com, Inc.'),
      ('GOOGL', 'NASDAQ', 'Alphabet Inc.'), ('META', 'NASDAQ', 'Meta Platforms, Inc.')`;
  const [alpha, beta, gamma, idle, fresh] = await addTestModels(sql, [
    { name: "alpha" },
    { name: "beta", provider: "openai", prompt: "Judge {{symbol}}" },
    { name: "gamma" },
    { name: "idle" },
    { name: "fresh" },
  ]);
  const shared = (
    model: string,
    symbol: string,
    direction: "up" | "down",
    result: "win" | "loss",
  ) =>
    SHARED_DAYS.map((day) => ({
      model,
      symbol,
      asOf: `2024-03-${day}T21:00:00Z`,
      horizon: 1,
      direction,
      confidence: 0.6,
      outcome: { realizedReturn: 0.01, result },
    }));
  const experimentCall = (
    model: string,
    symbol: string,
    day: string,
    variant: string,
    result: "win" | "loss",
  ) => ({
    model,
    symbol,
    asOf: `2024-03-${day}T21:00:00Z`,
    horizon: 1,
    direction: "up" as const,
    confidence: 0.7,
    abTest: { name: "judges", variant },
    outcome: { realizedReturn: result === "win" ? 0.02 : -0.02, result },
  });
  await addTestPredictions(sql, [
    ...shared("alpha", "AAPL", "up", "win"),
    ...shared("beta", "AAPL", "down", "loss"),
    ...AGREED_SYMBOLS.flatMap((symbol) => [
      ...shared("alpha", symbol, "up", "win"),
      ...shared("beta", symbol, "up", "win"),
    ]),
    ...["03", "04"].map((day) => ({
      model: "gamma",
      symbol: "MSFT",
      asOf: `2024-03-${day}T21:00:00Z`,
      horizon: 1,
      direction: "up" as const,
      confidence: 0.5,
      outcome: { realizedReturn: 0.01, result: "win" as const },
    })),
    experimentCall("alpha", "MSFT", "04", "A", "win"),
    experimentCall("alpha", "MSFT", "05", "A", "win"),
    experimentCall("beta", "NVDA", "04", "B", "win"),
    experimentCall("beta", "NVDA", "05", "B", "loss"),
  ]);
  const [{ id: experiment }] = await sql<{ id: number }[]>`
    update ab_test set status = 'running', variants = ${
    sql.json([
      { name: "A", modelId: alpha, weight: 1 },
      { name: "B", modelId: beta, weight: 1 },
    ])
  }
    where name = 'judges' returning id`;
  const period = { periodStart: "2024-03-03", periodEnd: "2024-03-10" };
  await addTestSnapshots(sql, [
    {
      model: "alpha",
      ...period,
      metrics: testSummary({
        n: 10,
        wins: 7,
        losses: 2,
        flats: 1,
        winRate: { value: 0.78, low: 0.45, high: 0.94 },
        pValue: 0.289,
        meanStrategyReturn: 0.004,
        cumulativeReturn: 0.032,
        meanNetReturn: 0.003,
        cumulativeNetReturn: 0.024,
        excessVsBuyAndHold: 0.002,
        excessVsIndex: -0.001,
        sharpe: 1.2,
        sortino: 1.8,
        maxDrawdown: 0.04,
        brier: 0.2,
        calibration: [
          { from: 0.5, to: 0.6, n: 0, meanConfidence: 0, winRate: null },
          { from: 0.6, to: 0.7, n: 8, meanConfidence: 0.6, winRate: 1 },
          { from: 0.7, to: 0.8, n: 2, meanConfidence: 0.7, winRate: 1 },
        ],
        ic: { mean: 0.1, std: 0.2, ir: 0.5, days: 8 },
      }),
    },
    {
      model: "beta",
      ...period,
      metrics: testSummary({
        n: 10,
        wins: 5,
        losses: 3,
        flats: 2,
        winRate: { value: 0.625, low: 0.31, high: 0.86 },
        meanStrategyReturn: 0.006,
        sharpe: 2.1,
        sortino: 2.5,
        maxDrawdown: 0.02,
        brier: 0.15,
      }),
    },
    {
      model: "gamma",
      periodStart: "2024-03-05",
      periodEnd: "2024-03-06",
      metrics: testSummary({
        n: 2,
        wins: 1,
        losses: 1,
        winRate: { value: 0.5, low: 0.09, high: 0.91 },
        maxDrawdown: 0.01,
        brier: 0.3,
      }),
    },
    { model: "idle", metrics: testSummary() },
  ]);
  await addTestDailyPerformance(sql, "alpha", "live", [
    { date: "2024-03-03", n: 1, strategyReturn: 0.01 },
    { date: "2024-03-04", n: 1, strategyReturn: -0.02 },
    { date: "2024-03-05", n: 1, strategyReturn: 0.01 },
  ]);
  return { models: { alpha, beta, gamma, idle, fresh }, experiment };
}
