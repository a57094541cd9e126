// Trading the predictions: each one is a position over its window, long on "up", short on "down",
// out on "flat"; its strategy return is the stock's return times that position.
import type { Direction } from "../../predict/types.ts";
import type { ScoredPrediction } from "../types.ts";

/** +1 long (up), −1 short (down), 0 out of the market (flat). */
export function position(direction: Direction): number {
  return direction === "up" ? 1 : direction === "down" ? -1 : 0;
}

/** realizedReturn × position: what following the call earned. */
export function strategyReturn(prediction: ScoredPrediction): number {
  return prediction.realizedReturn * position(prediction.direction);
}

/**
 * Strategy returns net of trading costs, in input order. Per model and stock, in as-of order, a
 * position change costs costBps/10,000 × |pos_t − pos_{t−1}| (the first position is a change
 * from 0), charged to the prediction that makes it: flipping long to short pays twice.
 */
export function netStrategyReturns(
  predictions: readonly ScoredPrediction[],
  costBps: number,
): number[] {
  const net = predictions.map(strategyReturn);
  const byHolding = new Map<number, Map<number, number[]>>();
  predictions.forEach((prediction, index) => {
    let byStock = byHolding.get(prediction.modelId);
    if (!byStock) byHolding.set(prediction.modelId, byStock = new Map());
    const indices = byStock.get(prediction.stockId);
    if (indices) indices.push(index);
    else byStock.set(prediction.stockId, [index]);
  });
  const costPerUnit = costBps / 10_000;
  const asOf = predictions.map((prediction) => prediction.asOf.getTime());
  for (const byStock of byHolding.values()) {
    for (const indices of byStock.values()) {
      // Same as-of (several horizons): shorter horizon first, then id, so the order is total.
      indices.sort((i, j) =>
        asOf[i] - asOf[j] || predictions[i].horizon - predictions[j].horizon ||
        predictions[i].id - predictions[j].id
      );
      let held = 0;
      for (const index of indices) {
        const next = position(predictions[index].direction);
        net[index] -= costPerUnit * Math.abs(next - held);
        held = next;
      }
    }
  }
  return net;
}

/**
 * The daily series: per exit day (YYYY-MM-DD), the mean of `values` (one per prediction, aligned
 * with `exitDates`) of the predictions resolved that day; days in ascending order.
 */
export function dailyMeans(values: readonly number[], exitDates: readonly string[]): number[] {
  const days = new Map<string, { sum: number; count: number }>();
  values.forEach((value, index) => {
    const day = days.get(exitDates[index]);
    if (day) {
      day.sum += value;
      day.count++;
    } else days.set(exitDates[index], { sum: value, count: 1 });
  });
  // ISO dates sort chronologically as strings.
  return [...days.keys()].sort().map((date) => {
    const { sum, count } = days.get(date)!;
    return sum / count;
  });
}

/** Π(1 + r) − 1: the daily returns compounded; 0 for no days. */
export function compound(daily: readonly number[]): number {
  let equity = 1;
  for (const r of daily) equity *= 1 + r;
  return equity - 1;
}
