// Is a model's confidence a probability? The Brier score and a calibration table, both over the
// predictions that won or lost (a flat outcome says nothing about being right).
import type { CalibrationBucket, ScoredPrediction } from "../types.ts";

export type Outcome = Pick<ScoredPrediction, "confidence" | "result">;

export const DEFAULT_BUCKETS = 10;

/** Mean of (confidence − 1[win])² over wins and losses; null with none. */
export function brier(outcomes: readonly Outcome[]): number | null {
  let sum = 0;
  let n = 0;
  for (const { confidence, result } of outcomes) {
    if (result === "flat") continue;
    sum += (confidence - (result === "win" ? 1 : 0)) ** 2;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/**
 * `count` equal-width confidence buckets over [0, 1] — bucket i holds ⌊confidence × count⌋ = i,
 * the last one also confidence 1 — with n, mean confidence and win rate of their wins and losses.
 * An empty bucket reports its midpoint as mean confidence (never NaN, still inside the bucket).
 */
export function calibrationBuckets(
  outcomes: readonly Outcome[],
  count = DEFAULT_BUCKETS,
): CalibrationBucket[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`buckets must be a positive integer, got ${count}`);
  }
  const tallies = Array.from({ length: count }, () => ({ n: 0, wins: 0, confidence: 0 }));
  for (const { confidence, result } of outcomes) {
    if (result === "flat") continue;
    const tally = tallies[Math.min(Math.floor(confidence * count), count - 1)];
    tally.n++;
    tally.confidence += confidence;
    if (result === "win") tally.wins++;
  }
  return tallies.map(({ n, wins, confidence }, i) => {
    const from = i / count;
    const to = (i + 1) / count;
    return {
      from,
      to,
      n,
      meanConfidence: n === 0 ? (from + to) / 2 : confidence / n,
      winRate: n === 0 ? null : wins / n,
    };
  });
}
