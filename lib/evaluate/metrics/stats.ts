// Plain descriptive statistics shared by the risk and rank metrics.

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/**
 * Sample standard deviation (n − 1); null with fewer than 2 values. Exactly 0 when every value is
 * the same: the two-pass formula would otherwise leave rounding noise (a mean of three 0.1s is not
 * 0.1), and dividing by that noise turns "no spread" into an absurd ratio instead of a null.
 */
export function sampleStd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  if (values.every((value) => value === values[0])) return 0;
  const center = mean(values)!;
  let squares = 0;
  for (const value of values) squares += (value - center) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}
