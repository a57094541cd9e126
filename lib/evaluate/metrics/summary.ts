// The metrics of DESIGN §6 in one call: `summarize` for one model's scored predictions (the
// evaluate job, per window and population) and `comparePaired` for two models on shared calls.
import type { Direction } from "../../predict/types.ts";
import type {
  MetricsSummary,
  OutcomeResult,
  PairedComparison,
  ScoredPrediction,
} from "../types.ts";
import { binomialTestP } from "./binomial.ts";
import { brier, calibrationBuckets, DEFAULT_BUCKETS, type Outcome } from "./calibration.ts";
import { bootstrapMeanInterval, discordantPairs, mcnemarP, sharePredictions } from "./paired.ts";
import { informationCoefficient } from "./rank.ts";
import { maxDrawdown, sharpe, sortino } from "./risk.ts";
import { mean } from "./stats.ts";
import { compound, dailyMeans, netStrategyReturns, strategyReturn } from "./strategy.ts";
import { assertNonNegative, assertScoredPredictions } from "./validate.ts";
import { wilsonInterval } from "./wilson.ts";

export interface SummaryOptions {
  /** Cost of one unit of position change, in basis points of the stake. */
  costBps: number;
  /**
   * Relabel every outcome with this flat band instead of trusting its stored result, by the
   * labelling rule of outcomes.ts; omitted: the stored results stand.
   */
  flatThreshold?: number;
  /** Calibration buckets (default 10). */
  buckets?: number;
}

/**
 * outcomes.ts's labelling rule, restated for numbers in hand: a flat call, or a move inside the
 * band, is flat; otherwise the right direction wins and the wrong one loses.
 */
export function labelResult(
  direction: Direction,
  realizedReturn: number,
  band: number,
): OutcomeResult {
  if (direction === "flat" || Math.abs(realizedReturn) < band) return "flat";
  const rightWay = (direction === "up" && realizedReturn > 0) ||
    (direction === "down" && realizedReturn < 0);
  return rightWay ? "win" : "loss";
}

/** Mean strategy return minus the index's mean return, over the predictions with an index return. */
function excessVsIndex(predictions: readonly ScoredPrediction[], gross: readonly number[]) {
  const strategy: number[] = [];
  const index: number[] = [];
  predictions.forEach((prediction, i) => {
    if (prediction.indexReturn === null) return;
    strategy.push(gross[i]);
    index.push(prediction.indexReturn);
  });
  return strategy.length === 0 ? null : mean(strategy)! - mean(index)!;
}

/** Every MetricsSummary field for one model's scored predictions; nulls where n is too small. */
export function summarize(
  predictions: readonly ScoredPrediction[],
  options: SummaryOptions,
): MetricsSummary {
  assertScoredPredictions(predictions);
  assertNonNegative("costBps", options.costBps);
  const band = options.flatThreshold;
  if (band !== undefined) assertNonNegative("flatThreshold", band);
  // Labels matter only to the win/loss metrics: relabelling builds just what those read.
  const outcomes: readonly Outcome[] = band === undefined ? predictions : predictions.map((p) => ({
    confidence: p.confidence,
    result: labelResult(p.direction, p.realizedReturn, band),
  }));

  let wins = 0;
  let losses = 0;
  for (const { result } of outcomes) {
    if (result === "win") wins++;
    else if (result === "loss") losses++;
  }
  // Win rate, its test and the calibration count wins among wins + losses: a flat is neither.
  const decided = wins + losses;

  const gross = predictions.map(strategyReturn);
  const net = netStrategyReturns(predictions, options.costBps);
  const exitDates = predictions.map((prediction) => prediction.exitDate);
  const daily = dailyMeans(gross, exitDates);
  const meanStrategyReturn = mean(gross);
  const meanBuyAndHold = mean(predictions.map((prediction) => prediction.realizedReturn));

  return {
    n: predictions.length,
    wins,
    losses,
    flats: predictions.length - decided,
    winRate: wilsonInterval(wins, decided),
    pValue: decided === 0 ? null : binomialTestP(wins, decided),
    meanStrategyReturn,
    cumulativeReturn: compound(daily),
    // Per prediction net of costs, then per exit day and compounded like the gross returns.
    meanNetReturn: mean(net),
    cumulativeNetReturn: compound(dailyMeans(net, exitDates)),
    // Against holding every predicted stock over the same windows: the mean realised return.
    excessVsBuyAndHold: meanStrategyReturn === null ? null : meanStrategyReturn - meanBuyAndHold!,
    excessVsIndex: excessVsIndex(predictions, gross),
    sharpe: sharpe(daily),
    sortino: sortino(daily),
    maxDrawdown: maxDrawdown(daily),
    brier: brier(outcomes),
    calibration: calibrationBuckets(outcomes, options.buckets ?? DEFAULT_BUCKETS),
    ic: informationCoefficient(predictions),
  };
}

export interface PairedOptions {
  /** Bootstrap resamples (default 2,000). */
  resamples?: number;
  /** Bootstrap generator seed (default 42): the same inputs always give the same interval. */
  seed?: number;
}

/**
 * Model A vs model B on the predictions both made (same stock, as-of instant and horizon), on
 * their stored results: McNemar's exact test and the mean strategy-return difference A − B with a
 * paired bootstrap 95% interval.
 */
export function comparePaired(
  a: readonly ScoredPrediction[],
  b: readonly ScoredPrediction[],
  options: PairedOptions = {},
): PairedComparison {
  assertScoredPredictions(a);
  assertScoredPredictions(b);
  const { resamples = 2_000, seed = 42 } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const pairs = sharePredictions(a, b);
  const { aOnly, bOnly } = discordantPairs(pairs);
  const differences = pairs.map((pair) => strategyReturn(pair.a) - strategyReturn(pair.b));
  const interval = bootstrapMeanInterval(differences, { resamples, seed });
  return {
    shared: pairs.length,
    aOnly,
    bOnly,
    mcnemarP: mcnemarP(aOnly, bOnly),
    meanDifference: mean(differences),
    differenceLow: interval?.low ?? null,
    differenceHigh: interval?.high ?? null,
  };
}
