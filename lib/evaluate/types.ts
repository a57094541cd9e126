// What the evaluation metrics take and give (DESIGN §6). The metric functions in
// lib/evaluate/metrics/ are pure: scored predictions in, numbers out; the evaluate job and the
// comparison API feed them from `prediction` ⋈ `prediction_outcome`.
import type { Direction } from "../predict/types.ts";

export type OutcomeResult = "win" | "loss" | "flat";

/** A prediction whose horizon has passed, with what the market did. */
export interface ScoredPrediction {
  id: number;
  modelId: number;
  stockId: number;
  asOf: Date;
  horizon: number;
  direction: Direction;
  /** 0 to 1. */
  confidence: number;
  /**
   * First close after as-of → close `horizon` trading days later, minus one: also the stock's
   * buy-and-hold return over the window.
   */
  realizedReturn: number;
  result: OutcomeResult;
  /** The day the outcome was realised (YYYY-MM-DD): daily series are keyed by it. */
  exitDate: string;
  /** The index ETF's (SPY) return over the same window; null when it has no bars there. */
  indexReturn: number | null;
}

/** A rate with its Wilson 95% interval. */
export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface CalibrationBucket {
  /** Confidence range [from, to). The last bucket includes 1. */
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  /** Share of wins among the bucket's wins and losses; null with none. */
  winRate: number | null;
}

/** Information coefficient: per day, Spearman of signed confidence vs realised return. */
export interface InformationCoefficient {
  /** Mean of the daily ICs; null with no day of ≥ 3 predictions. */
  mean: number | null;
  /** Sample standard deviation of the daily ICs; null with fewer than 2 days. */
  std: number | null;
  /** mean / std (IC information ratio); null when std is null or 0. */
  ir: number | null;
  days: number;
}

/** Every metric of DESIGN §6 for one set of predictions; nulls where n is too small. */
export interface MetricsSummary {
  n: number;
  wins: number;
  losses: number;
  flats: number;
  /** wins / (wins + losses) with the Wilson 95% interval. */
  winRate: Interval | null;
  /** Two-sided exact binomial p-value of wins among wins + losses against 50%. */
  pValue: number | null;
  /** Per prediction: return × (+1 up, −1 down, 0 flat). */
  meanStrategyReturn: number | null;
  /** Sum of the daily mean strategy returns compounded: Π(1 + r_day) − 1. */
  cumulativeReturn: number;
  /** As above, net of `costBps` per position change. */
  meanNetReturn: number | null;
  cumulativeNetReturn: number;
  /** Mean strategy return minus the mean buy-and-hold return of the same stocks and windows. */
  excessVsBuyAndHold: number | null;
  /** Mean strategy return minus the index ETF's mean return over the same windows. */
  excessVsIndex: number | null;
  /** Annualised: mean / std of daily strategy returns × √252 (risk-free 0). */
  sharpe: number | null;
  sortino: number | null;
  /** Largest peak-to-trough fall of the cumulative curve, as a positive fraction. */
  maxDrawdown: number;
  /** Mean of (confidence − [win])² over wins and losses. */
  brier: number | null;
  calibration: CalibrationBucket[];
  ic: InformationCoefficient;
}

/** Model A vs model B on the predictions they share (same stock, as-of and horizon). */
export interface PairedComparison {
  shared: number;
  /** McNemar on win/loss: A right and B wrong, and the reverse. */
  aOnly: number;
  bOnly: number;
  /** Exact two-sided McNemar p-value (binomial on aOnly + bOnly). */
  mcnemarP: number | null;
  /** Mean of A's minus B's strategy return per shared prediction, with a bootstrap 95% interval. */
  meanDifference: number | null;
  differenceLow: number | null;
  differenceHigh: number | null;
}
