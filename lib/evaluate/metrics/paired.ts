// Model A vs model B on the same calls: McNemar's exact test on who was right where the other was
// not, and a paired bootstrap of the mean difference in strategy return.
import { createRandom } from "../../market/random.ts";
import type { ScoredPrediction } from "../types.ts";
import { binomialTestP } from "./binomial.ts";

export interface PairedPrediction {
  a: ScoredPrediction;
  b: ScoredPrediction;
}

function pairKey(prediction: ScoredPrediction): string {
  return `${prediction.stockId}:${prediction.asOf.getTime()}:${prediction.horizon}`;
}

/** Each prediction by its pairing key; one model predicting a key twice is a caller bug. */
function byPairKey(predictions: readonly ScoredPrediction[]): Map<string, ScoredPrediction> {
  const byKey = new Map<string, ScoredPrediction>();
  for (const prediction of predictions) {
    const key = pairKey(prediction);
    // The prediction table's unique (model, stock, as_of, horizon) makes this impossible.
    if (byKey.has(key)) throw new RangeError(`prediction ${prediction.id} repeats ${key}`);
    byKey.set(key, prediction);
  }
  return byKey;
}

/** The predictions both made (same stock, as-of instant and horizon), in A's order. */
export function sharePredictions(
  a: readonly ScoredPrediction[],
  b: readonly ScoredPrediction[],
): PairedPrediction[] {
  const bByKey = byPairKey(b);
  const pairs: PairedPrediction[] = [];
  for (const [key, prediction] of byPairKey(a)) {
    const other = bByKey.get(key);
    if (other) pairs.push({ a: prediction, b: other });
  }
  return pairs;
}

/** The discordant pairs: A won where B did not, and the reverse (a flat is not a win). */
export function discordantPairs(pairs: readonly PairedPrediction[]) {
  let aOnly = 0;
  let bOnly = 0;
  for (const { a, b } of pairs) {
    const aWon = a.result === "win";
    const bWon = b.result === "win";
    if (aWon && !bWon) aOnly++;
    else if (bWon && !aWon) bOnly++;
  }
  return { aOnly, bOnly };
}

/** Exact McNemar: under "equally good" each discordant pair is a fair coin; null with none. */
export function mcnemarP(aOnly: number, bOnly: number): number | null {
  return aOnly + bOnly === 0 ? null : binomialTestP(aOnly, aOnly + bOnly);
}

/** numpy's default ("linear") percentile of sorted values, q in [0, 1]. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

/**
 * Percentile bootstrap 95% interval of the mean: `resamples` draws of n values with replacement
 * from a seeded generator, so the same input always gives the same interval; null for no values.
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  { resamples, seed }: BootstrapOptions,
): { low: number; high: number } | null {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  }
  if (values.length === 0) return null;
  const random = createRandom(seed);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random.next() * n)];
    means[r] = sum / n;
  }
  const sorted = means.sort();
  return { low: percentile(sorted, 0.025), high: percentile(sorted, 0.975) };
}
