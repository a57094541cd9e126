// The exact two-sided binomial test against 1/2, for the win rate and McNemar's test. The pmf is
// evaluated in log space with Loader's saddle-point form (as R's dbinom; scipy's binom.pmf agrees
// to rounding), which stays accurate where factorials overflow and tails underflow: n up to
// millions costs a few thousand pmf evaluations.

const LN_2PI = Math.log(2 * Math.PI);

/**
 * scipy.stats.binomtest's tolerance: outcomes at most this much (relatively) more likely than the
 * observed one still count as "as extreme", so rounding cannot drop k's own mirror image.
 */
const RELATIVE_TOLERANCE = 1e-7;

/** log(n!) − log(√(2πn)·(n/e)ⁿ) for n = 1…15 (Stirling's error; beyond 15 its series suffices). */
const STIRLING_ERROR_TABLE = [
  0.08106146679532726,
  0.0413406959554093,
  0.02767792568499834,
  0.020790672103765093,
  0.016644691189821193,
  0.013876128823070748,
  0.01189670994589177,
  0.010411265261972096,
  0.009255462182712733,
  0.00833056343336287,
  0.007573675487951841,
  0.00694284010720953,
  0.006408994188004207,
  0.0059513701127588475,
  0.005554733551962801,
];

function stirlingError(n: number): number {
  if (n <= 15) return STIRLING_ERROR_TABLE[n - 1];
  // The asymptotic series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − …, with as many terms as n needs.
  const nn = n * n;
  if (n > 500) return (1 / 12 - 1 / 360 / nn) / n;
  if (n > 80) return (1 / 12 - (1 / 360 - 1 / 1260 / nn) / nn) / n;
  if (n > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / 1680 / nn) / nn) / nn) / n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / nn) / nn) / nn) / nn) / n;
}

/**
 * x·log(x / mean) + mean − x: the binomial's deviance term. Near x = mean the closed form
 * cancels catastrophically, so there it is summed as a series in v = (x − mean) / (x + mean).
 */
function deviance(x: number, mean: number): number {
  if (Math.abs(x - mean) < 0.1 * (x + mean)) {
    let v = (x - mean) / (x + mean);
    let sum = (x - mean) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / mean) + mean - x;
}

/** log P(X = x) for X ~ Binomial(n, 1/2). */
export function logBinomialPmfHalf(x: number, n: number): number {
  if (x === 0 || x === n) return -n * Math.LN2;
  const half = n / 2;
  const saddle = stirlingError(n) - stirlingError(x) - stirlingError(n - x) -
    deviance(x, half) - deviance(n - x, half);
  return saddle - 0.5 * (LN_2PI + Math.log(x) + Math.log1p(-x / n));
}

/** P(X ≤ a): summed downwards from a, where the terms are largest, until they stop counting. */
function lowerTail(a: number, n: number): number {
  const top = logBinomialPmfHalf(a, n);
  let sum = 0;
  for (let x = a; x >= 0; x--) {
    const term = Math.exp(logBinomialPmfHalf(x, n) - top);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum * Math.exp(top);
}

/**
 * Exact two-sided p-value of `successes` in `trials` against p = 1/2: the total probability of
 * every outcome at most as likely as the observed one (scipy.stats.binomtest's definition).
 */
export function binomialTestP(successes: number, trials: number): number {
  if (
    !Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 ||
    successes > trials
  ) {
    throw new RangeError(
      `binomial test needs 0 ≤ successes ≤ trials, integers: ${successes}/${trials}`,
    );
  }
  if (trials === 0) return 1;
  const threshold = logBinomialPmfHalf(successes, trials) + Math.log1p(RELATIVE_TOLERANCE);
  // The pmf rises on [0, ⌊n/2⌋] and mirrors itself: the outcomes no likelier than k are the two
  // tails [0, a] and [n − a, n], with a the largest x ≤ n/2 under the threshold (binary search;
  // min(k, n − k) always qualifies).
  let a = Math.min(successes, trials - successes);
  let above = Math.floor(trials / 2) + 1;
  while (above - a > 1) {
    const middle = Math.floor((a + above) / 2);
    if (logBinomialPmfHalf(middle, trials) <= threshold) a = middle;
    else above = middle;
  }
  if (2 * a >= trials) return 1; // the tails meet: every outcome counts
  return Math.min(1, 2 * lowerTail(a, trials));
}
