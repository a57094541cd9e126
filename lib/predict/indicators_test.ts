import assert from "node:assert/strict";
import type { PriceBar } from "../market/store.ts";
import { computeIndicators, inputBars } from "./indicators.ts";
import type { InputBar } from "./types.ts";

function bar(date: string, close: number, adjClose: number | null = null): PriceBar {
  return {
    stockId: 1,
    date,
    open: close,
    high: close,
    low: close,
    close,
    adjClose,
    volume: 100,
    closedAt: new Date(`${date}T21:00:00Z`),
    source: "test",
  };
}

const series = (closes: number[]): InputBar[] =>
  closes.map((close, i) => ({
    date: `2024-01-${String(i + 1).padStart(2, "0")}`,
    open: close,
    high: close,
    low: close,
    close,
    volume: null,
  }));

Deno.test("inputBars: adjusted closes only when every bar has one", () => {
  assert.deepEqual(
    inputBars([bar("2024-01-02", 100, 50), bar("2024-01-03", 110, 55)]).map((b) => b.close),
    [50, 55],
  );
  assert.deepEqual(
    inputBars([bar("2024-01-02", 100, 50), bar("2024-01-03", 110, null)]).map((b) => b.close),
    [100, 110],
  );
  assert.deepEqual(inputBars([]), []);
});

Deno.test("computeIndicators: hand-computed returns and averages", () => {
  const closes = Array.from({ length: 21 }, (_, i) => 100 + i); // 100 … 120
  const indicators = computeIndicators(series(closes));
  assert.equal(indicators.lastClose, 120);
  assert.equal(indicators.return1d, 120 / 119 - 1);
  assert.equal(indicators.return5d, 120 / 115 - 1);
  assert.equal(indicators.return20d, 120 / 100 - 1);
  assert.equal(indicators.sma20, 110.5); // mean of 101 … 120
  assert.equal(indicators.distanceFromSma20, 120 / 110.5 - 1);
  assert.equal(indicators.sma50, null);
  assert.equal(indicators.rsi14, 100, "only gains");
  assert.ok(indicators.volatility20! > 0);
});

Deno.test("computeIndicators: too few bars give nulls, never NaN", () => {
  for (const closes of [[], [100], [100, 101, 99]]) {
    const indicators = computeIndicators(series(closes));
    for (const [name, value] of Object.entries(indicators)) {
      assert.ok(value === null || Number.isFinite(value), `${name} = ${value}`);
    }
    assert.equal(indicators.return5d, null);
    assert.equal(indicators.sma20, null);
  }
  assert.equal(computeIndicators(series([100, 101])).return1d, 101 / 100 - 1);
});
