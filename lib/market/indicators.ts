// Technical indicators as pure functions over series ordered oldest first. Every result is aligned
// with its input (same length, index i describes the bar at index i); positions where the
// indicator is not yet defined (its warm-up) hold `null` rather than NaN, so a missing value can't
// silently poison arithmetic and survives JSON.

/** An indicator value per input position; `null` during the warm-up. */
export type Aligned = (number | null)[];

export interface Macd {
  macd: Aligned;
  signal: Aligned;
  histogram: Aligned;
}

export interface Bands {
  middle: Aligned;
  upper: Aligned;
  lower: Aligned;
}

/** Trading days per year: the usual factor for annualising daily volatility. */
export const TRADING_DAYS_PER_YEAR = 252;

function checkPeriod(name: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${n}`);
  }
}

function checkFinite(name: string, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== "number" || !Number.isFinite(values[i])) {
      throw new RangeError(`${name}[${i}] must be a finite number, got ${values[i]}`);
    }
  }
}

function checkPositive(name: string, values: readonly number[]): void {
  checkFinite(name, values);
  for (let i = 0; i < values.length; i++) {
    if (values[i] <= 0) throw new RangeError(`${name}[${i}] must be > 0, got ${values[i]}`);
  }
}

function nulls(length: number): Aligned {
  return new Array<number | null>(length).fill(null);
}

/** p[i] / p[i-1] − 1; index 0 is null. Prices must be > 0. */
export function simpleReturns(prices: readonly number[]): Aligned {
  checkPositive("prices", prices);
  const out = nulls(prices.length);
  for (let i = 1; i < prices.length; i++) out[i] = prices[i] / prices[i - 1] - 1;
  return out;
}

/** ln(p[i] / p[i-1]); index 0 is null. Prices must be > 0. */
export function logReturns(prices: readonly number[]): Aligned {
  checkPositive("prices", prices);
  const out = nulls(prices.length);
  for (let i = 1; i < prices.length; i++) out[i] = Math.log(prices[i] / prices[i - 1]);
  return out;
}

/** Mean of `values[i-n+1..i]`; defined from index n−1. */
export function sma(values: readonly number[], n: number): Aligned {
  checkPeriod("n", n);
  checkFinite("values", values);
  const out = nulls(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= n) sum -= values[i - n];
    // Recomputing the window now and then keeps the running sum's rounding drift bounded.
    if (i >= n && i % 1024 === 0) sum = windowSum(values, i - n + 1, i + 1);
    if (i >= n - 1) out[i] = sum / n;
  }
  return out;
}

function windowSum(values: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let j = from; j < to; j++) sum += values[j];
  return sum;
}

/**
 * Exponential moving average with α = 2 / (n + 1), seeded at index n−1 with the SMA of the first n
 * values (the common charting convention, so early values don't overweight the first price).
 */
export function ema(values: readonly number[], n: number): Aligned {
  checkPeriod("n", n);
  checkFinite("values", values);
  return emaOf(values, n, 0);
}

// EMA over `values` starting at `start` (earlier positions stay null): MACD's signal line is an
// EMA of a series that is itself only defined from some index on.
function emaOf(values: readonly (number | null)[], n: number, start: number): Aligned {
  const out = nulls(values.length);
  const seedAt = start + n - 1;
  if (seedAt >= values.length) return out;
  let sum = 0;
  for (let i = start; i <= seedAt; i++) sum += values[i] as number;
  let previous = sum / n;
  out[seedAt] = previous;
  const alpha = 2 / (n + 1);
  for (let i = seedAt + 1; i < values.length; i++) {
    previous += alpha * ((values[i] as number) - previous);
    out[i] = previous;
  }
  return out;
}

/**
 * Relative strength index with Wilder smoothing: the first average gain and loss are the plain
 * means of the first n price changes (defined at index n), then avg = (avg·(n−1) + current) / n.
 * RSI = 100 − 100 / (1 + avgGain / avgLoss); 100 when there were no losses, and 50 when the price
 * did not move at all (no gains and no losses: neither side has strength).
 */
export function rsi(closes: readonly number[], n = 14): Aligned {
  checkPeriod("n", n);
  checkFinite("closes", closes);
  const out = nulls(closes.length);
  if (closes.length <= n) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= n; i++) {
    const change = closes[i] - closes[i - 1];
    if (change > 0) gain += change;
    else loss -= change;
  }
  gain /= n;
  loss /= n;
  out[n] = rsiValue(gain, loss);
  for (let i = n + 1; i < closes.length; i++) {
    const change = closes[i] - closes[i - 1];
    gain = (gain * (n - 1) + Math.max(change, 0)) / n;
    loss = (loss * (n - 1) + Math.max(-change, 0)) / n;
    out[i] = rsiValue(gain, loss);
  }
  return out;
}

function rsiValue(gain: number, loss: number): number {
  if (loss === 0) return gain === 0 ? 50 : 100;
  return 100 - 100 / (1 + gain / loss);
}

/**
 * MACD: EMA(fast) − EMA(slow), defined from index slow−1; the signal line is an EMA(signal) of
 * the MACD line seeded with the SMA of its first `signal` values (defined from slow+signal−2);
 * histogram = MACD − signal.
 */
export function macd(closes: readonly number[], fast = 12, slow = 26, signal = 9): Macd {
  checkPeriod("fast", fast);
  checkPeriod("slow", slow);
  checkPeriod("signal", signal);
  if (fast >= slow) throw new RangeError(`fast (${fast}) must be shorter than slow (${slow})`);
  checkFinite("closes", closes);
  const fastLine = emaOf(closes, fast, 0);
  const slowLine = emaOf(closes, slow, 0);
  const line = closes.map((_, i) => {
    const f = fastLine[i];
    const s = slowLine[i];
    return f === null || s === null ? null : f - s;
  });
  const signalLine = emaOf(line, signal, slow - 1);
  const histogram = line.map((value, i) => {
    const s = signalLine[i];
    return value === null || s === null ? null : value - s;
  });
  return { macd: line, signal: signalLine, histogram };
}

/**
 * Bollinger bands: middle = SMA(n), upper/lower = middle ± k·σ where σ is the population standard
 * deviation of the same n values (divide by n, as Bollinger defined them).
 */
export function bollinger(values: readonly number[], n = 20, k = 2): Bands {
  checkPeriod("n", n);
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`k must be a finite number ≥ 0, got ${k}`);
  checkFinite("values", values);
  const middle = sma(values, n);
  const upper = nulls(values.length);
  const lower = nulls(values.length);
  for (let i = n - 1; i < values.length; i++) {
    const mean = middle[i] as number;
    // Two-pass over the window: sum-of-squares shortcuts lose precision when prices ≫ spread.
    let squares = 0;
    for (let j = i - n + 1; j <= i; j++) squares += (values[j] - mean) ** 2;
    const sd = Math.sqrt(squares / n);
    upper[i] = mean + k * sd;
    lower[i] = mean - k * sd;
  }
  return { middle, upper, lower };
}

/**
 * Average true range with Wilder smoothing. True range at i is max(high−low, |high−close[i−1]|,
 * |low−close[i−1]|), and just high−low at index 0 (no previous close). The first ATR, at index
 * n−1, is the mean of the first n true ranges; then ATR = (ATR·(n−1) + TR) / n.
 */
export function atr(
  high: readonly number[],
  low: readonly number[],
  close: readonly number[],
  n = 14,
): Aligned {
  checkPeriod("n", n);
  if (high.length !== low.length || high.length !== close.length) {
    throw new RangeError(
      `high, low and close must have equal lengths, got ${high.length}, ${low.length}, ${close.length}`,
    );
  }
  checkFinite("high", high);
  checkFinite("low", low);
  checkFinite("close", close);
  for (let i = 0; i < high.length; i++) {
    if (low[i] > high[i]) throw new RangeError(`low[${i}] (${low[i]}) is above high (${high[i]})`);
  }
  const out = nulls(close.length);
  let average = 0;
  for (let i = 0; i < close.length; i++) {
    const range = i === 0 ? high[i] - low[i] : Math.max(
      high[i] - low[i],
      Math.abs(high[i] - close[i - 1]),
      Math.abs(low[i] - close[i - 1]),
    );
    if (i < n - 1) {
      average += range;
    } else if (i === n - 1) {
      average = (average + range) / n;
      out[i] = average;
    } else {
      average = (average * (n - 1) + range) / n;
      out[i] = average;
    }
  }
  return out;
}

export interface VolatilityOptions {
  /** Multiply by √periodsPerYear (default: false, the per-period volatility). */
  annualize?: boolean;
  /** Periods per year for annualising (default 252 trading days; 365 suits crypto). */
  periodsPerYear?: number;
}

/**
 * Rolling volatility: the sample standard deviation (divide by n−1, an unbiased variance
 * estimate from a short window) of the last n log returns. The first return sits at index 1, so
 * the first value is at index n. Needs n ≥ 2.
 */
export function rollingVolatility(
  prices: readonly number[],
  n = 20,
  options: VolatilityOptions = {},
): Aligned {
  checkPeriod("n", n, 2);
  const periods = options.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  if (!Number.isFinite(periods) || periods <= 0) {
    throw new RangeError(`periodsPerYear must be a finite number > 0, got ${periods}`);
  }
  const returns = logReturns(prices);
  const scale = options.annualize ? Math.sqrt(periods) : 1;
  const out = nulls(prices.length);
  for (let i = n; i < prices.length; i++) {
    let mean = 0;
    for (let j = i - n + 1; j <= i; j++) mean += returns[j] as number;
    mean /= n;
    let squares = 0;
    for (let j = i - n + 1; j <= i; j++) squares += ((returns[j] as number) - mean) ** 2;
    out[i] = Math.sqrt(squares / (n - 1)) * scale;
  }
  return out;
}
