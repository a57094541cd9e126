// The metrics trust their input's shape but not its numbers: a NaN would silently poison every
// sum downstream, so it is reported where it entered, by prediction id.
import type { ScoredPrediction } from "../types.ts";

/** Throws a RangeError naming the first prediction with a non-finite or out-of-range number. */
export function assertScoredPredictions(predictions: readonly ScoredPrediction[]): void {
  for (const p of predictions) {
    const problem = !Number.isFinite(p.realizedReturn)
      ? `realizedReturn ${p.realizedReturn}`
      : !(p.confidence >= 0 && p.confidence <= 1)
      ? `confidence ${p.confidence} (must be within 0…1)`
      : p.indexReturn !== null && !Number.isFinite(p.indexReturn)
      ? `indexReturn ${p.indexReturn}`
      : !Number.isFinite(p.asOf.getTime())
      ? "asOf is an invalid date"
      : null;
    if (problem) throw new RangeError(`prediction ${p.id}: ${problem}`);
  }
}

/** Throws a RangeError unless `value` is a finite number ≥ 0. */
export function assertNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
}
