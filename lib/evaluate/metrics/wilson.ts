// The Wilson score interval for a proportion: unlike p ± z·SE it stays inside [0, 1] and keeps
// sensible width at 0 or n successes and for small n.
import type { Interval } from "../types.ts";

/** The standard normal's 97.5% quantile: a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/** successes / trials with its Wilson 95% interval; null with no trials. */
export function wilsonInterval(successes: number, trials: number): Interval | null {
  if (trials === 0) return null;
  const value = successes / trials;
  const z2 = Z_95 * Z_95;
  const scale = 1 + z2 / trials;
  const center = (value + z2 / (2 * trials)) / scale;
  const half = (Z_95 / scale) *
    Math.sqrt((value * (1 - value)) / trials + z2 / (4 * trials * trials));
  // At 0 (n) successes the low (high) end is exactly 0 (1), which rounding misses by an ulp.
  return {
    value,
    low: successes === 0 ? 0 : center - half,
    high: successes === trials ? 1 : center + half,
  };
}
