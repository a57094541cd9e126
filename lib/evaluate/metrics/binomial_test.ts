import assert from "node:assert/strict";
import { binomialTestP, logBinomialPmfHalf } from "./binomial.ts";
import { assertClose } from "./testing.ts";

Deno.test("logBinomialPmfHalf matches C(n, x) / 2ⁿ for n = 10 and n = 40", () => {
  // C(10, 3) = 120: P = 120 / 1024. C(40, 17) = 88732378800: P = 88732378800 / 2⁴⁰.
  assertClose(logBinomialPmfHalf(3, 10), Math.log(120 / 1024), "3 of 10", 1e-14);
  assertClose(logBinomialPmfHalf(0, 10), Math.log(1 / 1024), "0 of 10", 1e-14);
  assertClose(logBinomialPmfHalf(17, 40), Math.log(88732378800 / 2 ** 40), "17 of 40", 1e-14);
  // Past factorial overflow: symmetric, and finite where the probability itself underflows.
  assertClose(logBinomialPmfHalf(300_000, 1e6), logBinomialPmfHalf(700_000, 1e6), "mirror", 1e-14);
  assert.ok(Number.isFinite(logBinomialPmfHalf(1, 1e6)));
});

Deno.test("binomialTestP: 3 of 10 is 2 × (1 + 10 + 45 + 120)/1024 = 0.34375, and so is 7", () => {
  assertClose(binomialTestP(3, 10), 0.34375);
  assertClose(binomialTestP(7, 10), 0.34375);
  // 0 of 5: 2 × 1/32.
  assertClose(binomialTestP(0, 5), 0.0625);
  // 5 of 6: 2 × (1 + 6)/64.
  assertClose(binomialTestP(5, 6), 0.21875);
});

Deno.test("binomialTestP: the most likely outcome has p = 1, for even and odd n", () => {
  assert.equal(binomialTestP(5, 10), 1);
  // 10 and 11 of 21 are equally likely (the two modes): every outcome counts.
  assert.equal(binomialTestP(10, 21), 1);
  assert.equal(binomialTestP(11, 21), 1);
  assert.equal(binomialTestP(0, 0), 1);
  assert.equal(binomialTestP(1, 1), 1);
});

Deno.test("binomialTestP: scipy.stats.binomtest's values, up to n = 1,000,000", () => {
  assertClose(binomialTestP(60, 100), 0.05688793364098089, "60/100", 1e-12);
  assertClose(binomialTestP(499_000, 1_000_000), 0.0456082998653896, "499k/1M", 1e-11);
  assertClose(binomialTestP(501_000, 1_000_000), 0.0456082998653896, "501k/1M", 1e-11);
  assertClose(binomialTestP(500_001, 1_000_000), 0.9992021156386692, "500,001/1M", 1e-12);
  // 2 × 2^−1,000,000 underflows to 0: a number, not NaN.
  assert.equal(binomialTestP(0, 1_000_000), 0);
});

Deno.test("binomialTestP: impossible counts are a RangeError", () => {
  assert.throws(() => binomialTestP(3, 2), RangeError);
  assert.throws(() => binomialTestP(-1, 2), RangeError);
  assert.throws(() => binomialTestP(1.5, 3), RangeError);
});
