// The metrics a leaderboard shows and ranks by (DESIGN §6), in one catalogue: label, definition
// (the pages' glossary), which way is better, and which paired test says whether a lead in it is
// more than chance. The API and the pages read the same catalogue, so they rank alike.
import type { Interval, MetricsSummary, PairedComparison } from "../evaluate/types.ts";

/**
 * A MetricsSummary as shown: every number finite or null, and nothing but n for a model with no
 * scored predictions ("no data"), where a summary would say cumulative return 0 and drawdown 0.
 */
export interface MetricsView {
  n: number;
  wins: number;
  losses: number;
  flats: number;
  winRate: Interval | null;
  pValue: number | null;
  meanStrategyReturn: number | null;
  cumulativeReturn: number | null;
  meanNetReturn: number | null;
  cumulativeNetReturn: number | null;
  excessVsBuyAndHold: number | null;
  excessVsIndex: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number | null;
  brier: number | null;
  icMean: number | null;
  icIr: number | null;
}

const finite = (value: number | null | undefined): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

function interval(value: Interval | null | undefined): Interval | null {
  if (!value) return null;
  const [rate, low, high] = [finite(value.value), finite(value.low), finite(value.high)];
  return rate === null || low === null || high === null ? null : { value: rate, low, high };
}

export function metricsView(summary: MetricsSummary | null): MetricsView {
  const s = summary !== null && summary.n > 0 ? summary : null;
  return {
    n: summary?.n ?? 0,
    wins: s?.wins ?? 0,
    losses: s?.losses ?? 0,
    flats: s?.flats ?? 0,
    winRate: interval(s?.winRate),
    pValue: finite(s?.pValue),
    meanStrategyReturn: finite(s?.meanStrategyReturn),
    cumulativeReturn: finite(s?.cumulativeReturn),
    meanNetReturn: finite(s?.meanNetReturn),
    cumulativeNetReturn: finite(s?.cumulativeNetReturn),
    excessVsBuyAndHold: finite(s?.excessVsBuyAndHold),
    excessVsIndex: finite(s?.excessVsIndex),
    sharpe: finite(s?.sharpe),
    sortino: finite(s?.sortino),
    maxDrawdown: finite(s?.maxDrawdown),
    brier: finite(s?.brier),
    icMean: finite(s?.ic?.mean),
    icIr: finite(s?.ic?.ir),
  };
}

/**
 * How a value reads: a rate (54%), a percentage (12.30%), a signed return (+1.20%), a signed ratio
 * (1.35), a score (0.215), a p-value (0.032), a count.
 */
export type MetricKind = "rate" | "percent" | "return" | "ratio" | "score" | "pValue" | "count";

/**
 * The paired tests of lib/evaluate/metrics (on the predictions two models share): McNemar's on
 * who was right where the other was not, and a bootstrap interval of the mean difference in
 * strategy return.
 */
export type PairedTest = "mcnemar" | "bootstrap";

export const RANK_METRICS = [
  "winRate",
  "meanStrategyReturn",
  "meanNetReturn",
  "cumulativeReturn",
  "cumulativeNetReturn",
  "excessVsBuyAndHold",
  "excessVsIndex",
  "sharpe",
  "sortino",
  "maxDrawdown",
  "brier",
  "icMean",
  "icIr",
] as const;
export type RankMetric = typeof RANK_METRICS[number];

export interface Metric {
  key: RankMetric;
  label: string;
  definition: string;
  kind: MetricKind;
  better: "higher" | "lower";
  /**
   * Whether a lead in this metric is more than chance: hit-rate metrics by McNemar's test on who
   * was right, return and risk metrics by the bootstrap interval of the return difference.
   */
  test: PairedTest;
  value(view: MetricsView): number | null;
}

/** Every rankable metric, in the order the leaderboard shows them. */
export const METRICS: Readonly<Record<RankMetric, Metric>> = {
  winRate: {
    key: "winRate",
    label: "Win rate",
    definition: "Wins ÷ (wins + losses), with its Wilson 95% interval. A return smaller than the " +
      "flat band counts as flat: a flat call wins, an up or down call is neither win nor loss.",
    kind: "rate",
    better: "higher",
    test: "mcnemar",
    value: (view) => view.winRate?.value ?? null,
  },
  meanStrategyReturn: {
    key: "meanStrategyReturn",
    label: "Mean return",
    definition: "Per prediction, the stock's return over the horizon × (+1 up, −1 down, 0 flat): " +
      "what following the call earned, averaged over predictions, before costs.",
    kind: "return",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.meanStrategyReturn,
  },
  meanNetReturn: {
    key: "meanNetReturn",
    label: "Mean return, net",
    definition: "The mean return after trading costs: each change of position in a stock pays " +
      "the cost per unit changed (flipping from long to short pays twice).",
    kind: "return",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.meanNetReturn,
  },
  cumulativeReturn: {
    key: "cumulativeReturn",
    label: "Cumulative return",
    definition: "Each exit day's mean strategy return, compounded over the days: Π(1 + r) − 1.",
    kind: "return",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.cumulativeReturn,
  },
  cumulativeNetReturn: {
    key: "cumulativeNetReturn",
    label: "Cumulative return, net",
    definition: "The cumulative return after trading costs.",
    kind: "return",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.cumulativeNetReturn,
  },
  excessVsBuyAndHold: {
    key: "excessVsBuyAndHold",
    label: "Excess vs buy-and-hold",
    definition: "Mean return minus the mean return of simply holding the same stocks over the " +
      "same windows.",
    kind: "return",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.excessVsBuyAndHold,
  },
  excessVsIndex: {
    key: "excessVsIndex",
    label: "Excess vs index",
    definition: "Mean return minus the mean return of the index ETF (SPY) over the same windows " +
      "(predictions whose window it has no prices for are left out).",
    kind: "return",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.excessVsIndex,
  },
  sharpe: {
    key: "sharpe",
    label: "Sharpe",
    definition: "Annualised Sharpe ratio: mean ÷ standard deviation of the daily strategy " +
      "returns × √252, with a risk-free rate of 0.",
    kind: "ratio",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.sharpe,
  },
  sortino: {
    key: "sortino",
    label: "Sortino",
    definition: "Like Sharpe (risk-free rate 0, × √252), but dividing by the downside deviation: " +
      "only losing days count as risk.",
    kind: "ratio",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.sortino,
  },
  maxDrawdown: {
    key: "maxDrawdown",
    label: "Max drawdown",
    definition: "The largest fall of the cumulative strategy curve from a peak to a later " +
      "trough, as a share of the peak. Lower is better.",
    kind: "percent",
    better: "lower",
    test: "bootstrap",
    value: (view) => view.maxDrawdown,
  },
  brier: {
    key: "brier",
    label: "Brier",
    definition: "Mean of (confidence − outcome)² over wins (1) and losses (0): 0 is perfect, " +
      "0.25 is always saying 50%. Lower is better.",
    kind: "score",
    better: "lower",
    test: "mcnemar",
    value: (view) => view.brier,
  },
  icMean: {
    key: "icMean",
    label: "IC",
    definition: "Information coefficient: each day with 3 or more predictions, the Spearman rank " +
      "correlation of signed confidence (+ up, − down) with the realised return; the mean over " +
      "those days.",
    kind: "score",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.icMean,
  },
  icIr: {
    key: "icIr",
    label: "IC IR",
    definition: "Mean daily IC ÷ its standard deviation: how steady the ranking skill is.",
    kind: "ratio",
    better: "higher",
    test: "bootstrap",
    value: (view) => view.icIr,
  },
};

/**
 * Best first by `metric`; no value (no data) last; ties by more predictions, then by name.
 * Returns a new array.
 */
export function rankBy<T>(
  rows: readonly T[],
  metric: Metric,
  read: (row: T) => { view: MetricsView; name: string },
): T[] {
  const sign = metric.better === "higher" ? -1 : 1;
  return rows
    .map((row) => ({ row, ...read(row) }))
    .sort((a, b) => {
      const [x, y] = [metric.value(a.view), metric.value(b.view)];
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return sign * (x - y);
      }
      return b.view.n - a.view.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    })
    .map(({ row }) => row);
}

/** Significance level of both paired tests. */
export const SIGNIFICANCE = 0.05;
/**
 * Fewest shared predictions for a bootstrap verdict: resampling a handful of pairs is no
 * evidence (two equal differences give a zero-width interval that "excludes" 0).
 */
export const MIN_BOOTSTRAP_PAIRS = 30;

/**
 * Which of A and B a paired comparison favours by `test` at the 5% level, or null for neither:
 * McNemar's p below 0.05 for whoever was right more often alone; the bootstrap 95% interval of
 * A − B's mean strategy return lying wholly above 0 (A) or below it (B), over at least
 * `MIN_BOOTSTRAP_PAIRS` shared predictions.
 */
export function favoured(comparison: PairedComparison, test: PairedTest): "a" | "b" | null {
  if (test === "mcnemar") {
    const { mcnemarP, aOnly, bOnly } = comparison;
    if (mcnemarP === null || !(mcnemarP < SIGNIFICANCE) || aOnly === bOnly) return null;
    return aOnly > bOnly ? "a" : "b";
  }
  const { differenceLow: low, differenceHigh: high } = comparison;
  if (comparison.shared < MIN_BOOTSTRAP_PAIRS) return null;
  if (low !== null && low > 0) return "a";
  if (high !== null && high < 0) return "b";
  return null;
}
