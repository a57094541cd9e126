// The numbers every model is given, computed here once so that no model (least of all an LLM)
// does arithmetic that is later shown as fact.
import { rollingVolatility, rsi, sma } from "../market/indicators.ts";
import type { PriceBar } from "../market/store.ts";
import type { Indicators, InputBar } from "./types.ts";

/**
 * Bars as models see them. Adjusted closes when every bar has one (a split then is no return),
 * raw closes otherwise: mixing the two within a series would turn an adjustment into a move.
 */
export function inputBars(bars: readonly PriceBar[]): InputBar[] {
  const adjusted = bars.length > 0 && bars.every((bar) => bar.adjClose !== null);
  return bars.map((bar) => ({
    date: bar.date,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: adjusted ? bar.adjClose! : bar.close,
    volume: bar.volume,
  }));
}

/** The return over the last `n` bars, or null with fewer than n + 1. */
function trailingReturn(closes: readonly number[], n: number): number | null {
  if (closes.length <= n) return null;
  return closes[closes.length - 1] / closes[closes.length - 1 - n] - 1;
}

export function computeIndicators(bars: readonly InputBar[]): Indicators {
  const closes = bars.map((bar) => bar.close);
  const last = <T>(series: readonly (T | null)[]) => series.at(-1) ?? null;
  const sma20 = closes.length >= 20 ? last(sma(closes, 20)) : null;
  const lastClose = closes.at(-1) ?? null;
  return {
    lastClose,
    return1d: trailingReturn(closes, 1),
    return5d: trailingReturn(closes, 5),
    return20d: trailingReturn(closes, 20),
    sma20,
    sma50: closes.length >= 50 ? last(sma(closes, 50)) : null,
    distanceFromSma20: sma20 !== null && lastClose !== null ? lastClose / sma20 - 1 : null,
    rsi14: closes.length > 14 ? last(rsi(closes, 14)) : null,
    volatility20: closes.length > 20
      ? last(rollingVolatility(closes, 20, { annualize: true }))
      : null,
  };
}
