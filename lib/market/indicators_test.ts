import assert from "node:assert/strict";
import {
  type Aligned,
  atr,
  bollinger,
  ema,
  logReturns,
  macd,
  rollingVolatility,
  rsi,
  simpleReturns,
  sma,
} from "./indicators.ts";
import { createRandom } from "./random.ts";

function assertClose(actual: Aligned, expected: Aligned, tolerance = 1e-9) {
  assert.equal(actual.length, expected.length, "length");
  actual.forEach((value, i) => {
    const want = expected[i];
    if (want === null || value === null) {
      assert.equal(value, want, `index ${i}`);
    } else {
      const scale = Math.max(1, Math.abs(want));
      assert.ok(Math.abs(value - want) <= tolerance * scale, `index ${i}: ${value} ≠ ${want}`);
    }
  });
}

// ---- Hand-computed cases -------------------------------------------------------------------

Deno.test("returns: 100 → 110 → 99 is +10% then −10%; log returns of 1, e, 1 are ±1", () => {
  assertClose(simpleReturns([100, 110, 99]), [null, 0.1, -0.1]);
  assertClose(logReturns([1, Math.E, 1]), [null, 1, -1]);
  assert.deepEqual(simpleReturns([]), []);
  assert.deepEqual(logReturns([5]), [null]);
});

Deno.test("SMA(3) of 1..5 is 2, 3, 4 after two warm-up nulls", () => {
  assertClose(sma([1, 2, 3, 4, 5], 3), [null, null, 2, 3, 4]);
  assertClose(sma([1, 2], 3), [null, null]);
});

Deno.test("EMA(3) is seeded with the first SMA, then α = 1/2", () => {
  // Seed (2+4+6)/3 = 4; 4 + ½(8−4) = 6; 6 + ½(4−6) = 5; 5 + ½(2−5) = 3.5.
  assertClose(ema([2, 4, 6, 8, 4, 2], 3), [null, null, 4, 6, 5, 3.5]);
});

Deno.test("RSI(3) with Wilder smoothing", () => {
  // Changes +1, −0.5, +1, −0.5, +1. At index 3: gain 2/3, loss 1/6, RS 4 → 80.
  // Index 4: gain (2/3·2)/3 = 4/9, loss (1/6·2 + 0.5)/3 = 5/18, RS 1.6 → 100 − 100/2.6.
  // Index 5: gain (4/9·2 + 1)/3 = 17/27, loss (5/18·2)/3 = 5/27, RS 3.4 → 100 − 100/4.4.
  assertClose(rsi([10, 11, 10.5, 11.5, 11, 12], 3), [
    null,
    null,
    null,
    80,
    100 - 100 / 2.6,
    100 - 100 / 4.4,
  ]);
  // No movement at all: neither side has strength.
  assertClose(rsi([5, 5, 5, 5], 2), [null, null, 50, 50]);
});

Deno.test("MACD(2, 3, 2) of a doubling series", () => {
  // EMA2 (α 2/3): 3/2, 19/6, 115/18, 691/54, 4147/162 from index 1.
  // EMA3 (α 1/2): 7/3, 31/6, 127/12, 511/24 from index 2.
  // MACD: 5/6, 11/9, 239/108, 2791/648 from index 2.
  // Signal (α 2/3) seeded at index 3 with (5/6 + 11/9)/2 = 37/36, then 589/324, 845/243.
  const result = macd([1, 2, 4, 8, 16, 32], 2, 3, 2);
  assertClose(result.macd, [null, null, 5 / 6, 11 / 9, 239 / 108, 2791 / 648]);
  assertClose(result.signal, [null, null, null, 37 / 36, 589 / 324, 845 / 243]);
  assertClose(result.histogram, [
    null,
    null,
    null,
    11 / 9 - 37 / 36,
    239 / 108 - 589 / 324,
    2791 / 648 - 845 / 243,
  ]);
});

Deno.test("Bollinger(3, 2) uses the population standard deviation", () => {
  // [1,2,3]: mean 2, σ² = 2/3. [2,3,4]: mean 3, same σ. [3,4,6]: mean 13/3, σ² = 14/9.
  const sd1 = Math.sqrt(2 / 3);
  const sd3 = Math.sqrt(14 / 9);
  const bands = bollinger([1, 2, 3, 4, 6], 3, 2);
  assertClose(bands.middle, [null, null, 2, 3, 13 / 3]);
  assertClose(bands.upper, [null, null, 2 + 2 * sd1, 3 + 2 * sd1, 13 / 3 + 2 * sd3]);
  assertClose(bands.lower, [null, null, 2 - 2 * sd1, 3 - 2 * sd1, 13 / 3 - 2 * sd3]);
});

Deno.test("ATR(3) with Wilder smoothing and gaps", () => {
  // True ranges: 1 (high−low, no previous close), 1.5 (11 − 9.5), 2, 2, 3 (13 − 10).
  // ATR: (1 + 1.5 + 2)/3 = 1.5; (1.5·2 + 2)/3 = 5/3; (5/3·2 + 3)/3 = 19/9.
  const high = [10, 11, 12, 11, 13];
  const low = [9, 10, 10, 9, 11];
  const close = [9.5, 10.5, 11, 10, 12];
  assertClose(atr(high, low, close, 3), [null, null, 1.5, 5 / 3, 19 / 9]);
});

Deno.test("rolling volatility(2): sample σ of log returns, optionally ×√252", () => {
  // Log returns 1, 0, 2: windows [1, 0] → σ² = 0.5; [0, 2] → σ² = 2.
  const prices = [1, Math.E, Math.E, Math.E ** 3];
  assertClose(rollingVolatility(prices, 2), [null, null, Math.sqrt(0.5), Math.sqrt(2)]);
  assertClose(rollingVolatility(prices, 2, { annualize: true }), [
    null,
    null,
    Math.sqrt(0.5 * 252),
    Math.sqrt(2 * 252),
  ]);
  assertClose(rollingVolatility(prices, 2, { annualize: true, periodsPerYear: 365 }), [
    null,
    null,
    Math.sqrt(0.5 * 365),
    Math.sqrt(2 * 365),
  ]);
});

Deno.test("bad input is refused with RangeErrors", () => {
  assert.throws(() => sma([1, 2], 0), /n must be an integer ≥ 1/);
  assert.throws(() => ema([1, 2], 1.5), RangeError);
  assert.throws(() => rsi([1, 2], -1), RangeError);
  assert.throws(() => sma([1, Number.NaN], 1), /values\[1\] must be a finite number/);
  assert.throws(() => logReturns([1, 0]), /prices\[1\] must be > 0/);
  assert.throws(() => atr([1, 2], [1], [1, 2], 1), /equal lengths/);
  assert.throws(() => atr([1], [2], [1], 1), /low\[0\]/);
  assert.throws(() => macd([1, 2, 3], 26, 12, 9), /shorter/);
  assert.throws(() => bollinger([1, 2], 2, -1), /k must be/);
  assert.throws(() => rollingVolatility([1, 2, 3], 1), /n must be an integer ≥ 2/);
  assert.throws(() => rollingVolatility([1, 2, 3], 2, { periodsPerYear: 0 }), RangeError);
});

// ---- Independent straightforward implementations over long random series ----------------------

function randomPrices(
  seed: number,
  length: number,
): { high: number[]; low: number[]; close: number[] } {
  const random = createRandom(seed);
  const close: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  let price = 50 + 100 * random.next();
  for (let i = 0; i < length; i++) {
    const previous = price;
    price *= Math.exp(0.02 * random.normal());
    close.push(price);
    high.push(Math.max(previous, price) * (1 + 0.01 * random.next()));
    low.push(Math.min(previous, price) * (1 - 0.01 * random.next()));
  }
  return { high, low, close };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function naiveSma(xs: number[], n: number): Aligned {
  return xs.map((_, i) => i < n - 1 ? null : mean(xs.slice(i - n + 1, i + 1)));
}

// EMA as the explicit weighted sum: seed·(1−α)^(i−n+1) + Σ α(1−α)^(i−j)·x_j.
function naiveEma(xs: number[], n: number): Aligned {
  const alpha = 2 / (n + 1);
  const seed = mean(xs.slice(0, n));
  return xs.map((_, i) => {
    if (i < n - 1) return null;
    let value = seed * (1 - alpha) ** (i - n + 1);
    for (let j = n; j <= i; j++) value += alpha * (1 - alpha) ** (i - j) * xs[j];
    return value;
  });
}

function naiveRsi(xs: number[], n: number): Aligned {
  const gains = xs.map((x, i) => i === 0 ? 0 : Math.max(x - xs[i - 1], 0));
  const losses = xs.map((x, i) => i === 0 ? 0 : Math.max(xs[i - 1] - x, 0));
  const out: Aligned = xs.map(() => null);
  let g = mean(gains.slice(1, n + 1));
  let l = mean(losses.slice(1, n + 1));
  for (let i = n; i < xs.length; i++) {
    if (i > n) {
      g = g + (gains[i] - g) / n;
      l = l + (losses[i] - l) / n;
    }
    out[i] = 100 * g / (g + l);
  }
  return out;
}

function naiveStd(xs: number[], ddof: number): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - ddof));
}

Deno.test("indicators agree with straightforward re-implementations on long random series", () => {
  for (const seed of [1, 2, 3]) {
    const { high, low, close } = randomPrices(seed, 600);
    for (const n of [1, 2, 5, 14, 20, 50]) {
      assertClose(sma(close, n), naiveSma(close, n));
      assertClose(ema(close, n), naiveEma(close, n), 1e-8);
      assertClose(rsi(close, n), naiveRsi(close, n), 1e-8);
      const bands = bollinger(close, n, 2.5);
      assertClose(bands.middle, sma(close, n));
      assertClose(
        bands.upper,
        close.map((_, i) =>
          i < n - 1 ? null : mean(close.slice(i - n + 1, i + 1)) +
            2.5 * naiveStd(close.slice(i - n + 1, i + 1), 0)
        ),
      );
      const trueRanges = close.map((_, i) =>
        i === 0
          ? high[0] - low[0]
          : Math.max(high[i], close[i - 1]) - Math.min(low[i], close[i - 1])
      );
      const wilder: Aligned = close.map(() => null);
      for (let i = n - 1; i < close.length; i++) {
        wilder[i] = i === n - 1
          ? mean(trueRanges.slice(0, n))
          : ((wilder[i - 1] as number) * (n - 1) + trueRanges[i]) / n;
      }
      assertClose(atr(high, low, close, n), wilder);
      if (n >= 2) {
        const returns = close.map((x, i) => i === 0 ? 0 : Math.log(x / close[i - 1]));
        assertClose(
          rollingVolatility(close, n),
          close.map((_, i) => i < n ? null : naiveStd(returns.slice(i - n + 1, i + 1), 1)),
        );
      }
    }
    const lines = macd(close);
    const line = ema(close, 12).map((f, i) => {
      const s = ema(close, 26)[i];
      return f === null || s === null ? null : f - s;
    });
    assertClose(lines.macd, line);
    const defined = line.slice(25) as number[];
    assertClose(lines.signal, [...new Array(25).fill(null), ...naiveEma(defined, 9)]);
    assert.equal(lines.histogram.findIndex((x) => x !== null), 33);
  }
});

Deno.test("properties: constants, monotone series and alignment", () => {
  const constant = new Array(50).fill(7);
  assert.ok(ema(constant, 10).slice(9).every((x) => x === 7));
  assert.ok(sma(constant, 10).slice(9).every((x) => x === 7));
  const bands = bollinger(constant, 10);
  assert.deepEqual(bands.upper.slice(9), bands.lower.slice(9));
  assert.ok(rollingVolatility(constant, 10).slice(10).every((x) => x === 0));
  assert.ok(macd(constant).macd.slice(25).every((x) => x === 0));

  const rising = [10];
  for (let i = 1; i < 60; i++) rising.push(rising[i - 1] + 1 + (i % 3) * 0.5);
  assert.ok(rsi(rising, 14).slice(14).every((x) => x === 100));
  const falling = rising.map((x) => 1000 - x);
  assert.ok(rsi(falling, 14).slice(14).every((x) => x === 0));

  // Steady compounding has zero volatility; identical bars with no gaps have ATR = range.
  const compounding = Array.from({ length: 30 }, (_, i) => 100 * 1.01 ** i);
  assert.ok(rollingVolatility(compounding, 5).slice(5).every((x) => Math.abs(x as number) < 1e-12));
  assertClose(
    atr(new Array(30).fill(11), new Array(30).fill(9), new Array(30).fill(10), 5).slice(4),
    new Array(26).fill(2),
  );

  const { close } = randomPrices(9, 120);
  assertClose(sma(close, 1), close);
  assertClose(ema(close, 1), close);
  for (const values of [sma(close, 20), ema(close, 20), rsi(close), macd(close).signal]) {
    assert.equal(values.length, close.length);
  }
  const { upper, middle, lower } = bollinger(close, 20, 2);
  for (let i = 19; i < close.length; i++) {
    assert.ok((lower[i] as number) <= (middle[i] as number));
    assert.ok((middle[i] as number) <= (upper[i] as number));
    assert.ok(
      Math.abs((upper[i] as number) + (lower[i] as number) - 2 * (middle[i] as number)) < 1e-9,
    );
  }
  const annual = rollingVolatility(close, 20, { annualize: true });
  rollingVolatility(close, 20).forEach((x, i) => {
    if (x !== null) assert.ok(Math.abs((annual[i] as number) - x * Math.sqrt(252)) < 1e-12);
  });
});
