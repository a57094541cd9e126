// Rank correlation and the information coefficient: does a more confident call go with a bigger
// move in the called direction, across the stocks predicted on the same day?
import type { InformationCoefficient, ScoredPrediction } from "../types.ts";
import { mean, sampleStd } from "./stats.ts";
import { position } from "./strategy.ts";

const DAY_MS = 86_400_000;
/** Fewer predictions on a day make its rank correlation noise (with 2 it is always ±1). */
const MIN_PER_DAY = 3;

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    // Positions start…end−1 are ranks start+1…end: their average.
    const shared = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = shared;
    start = end;
  }
  return ranks;
}

/** Spearman's ρ: Pearson's r of the average ranks; null when either side is constant. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError(`spearman: ${x.length} ≠ ${y.length} values`);
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  // Every rank average is (n + 1)/2 and deviations are half-integers: these sums are exact, so a
  // constant side gives exactly 0.
  const center = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    const dx = rx[i] - center;
    const dy = ry[i] - center;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** confidence × (+1 up, −1 down, 0 flat): the call as one number. */
export function signedConfidence(prediction: ScoredPrediction): number {
  return prediction.confidence * position(prediction.direction);
}

/**
 * Per as-of day (UTC date): Spearman of signed confidence vs realised return across that day's
 * predictions, on days with ≥ 3 of them and ranks varying on both sides; then the daily ICs'
 * mean, sample std and their ratio (IC IR).
 */
export function informationCoefficient(
  predictions: readonly ScoredPrediction[],
): InformationCoefficient {
  const byDay = new Map<number, ScoredPrediction[]>();
  for (const prediction of predictions) {
    const day = Math.floor(prediction.asOf.getTime() / DAY_MS);
    const group = byDay.get(day);
    if (group) group.push(prediction);
    else byDay.set(day, [prediction]);
  }
  const daily: number[] = [];
  for (const group of byDay.values()) {
    if (group.length < MIN_PER_DAY) continue;
    const ic = spearman(group.map(signedConfidence), group.map((p) => p.realizedReturn));
    if (ic !== null) daily.push(ic);
  }
  const std = sampleStd(daily);
  const average = mean(daily);
  return {
    mean: average,
    std,
    ir: average === null || std === null || std === 0 ? null : average / std,
    days: daily.length,
  };
}
