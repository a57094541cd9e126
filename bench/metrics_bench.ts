// Evaluation metrics at scale: `summarize` over 1,000,000 synthetic scored predictions (500 stocks
// × 2,000 as-of days, seeded, so every run sees the same data) against summing their realised
// returns in a plain loop in the same run (the baseline: one pass over the array, the floor for
// any metric). The ratio says what the full DESIGN §6 set — sorts per stock and per day, ranks,
// the exact binomial test — costs per prediction beyond touching it.
//   deno bench -A bench/metrics_bench.ts
import { labelResult, summarize } from "../lib/evaluate/metrics/summary.ts";
import type { ScoredPrediction } from "../lib/evaluate/types.ts";
import { createRandom } from "../lib/market/random.ts";
import type { Direction } from "../lib/predict/types.ts";

const COUNT = 1_000_000;
const STOCKS = 500;
const FLAT_BAND = 0.001;
const START = Date.UTC(2016, 0, 4, 21);
const DAY_MS = 86_400_000;

function syntheticPredictions(): ScoredPrediction[] {
  const random = createRandom(20_240_304);
  const predictions: ScoredPrediction[] = [];
  for (let i = 0; i < COUNT; i++) {
    const day = Math.floor(i / STOCKS);
    const horizon = random.next() < 0.7 ? 1 : 5;
    const realizedReturn = 0.02 * Math.sqrt(horizon) * random.normal();
    // A weakly informed call: the return's sign seen through noise.
    const signal = 0.3 * realizedReturn + 0.02 * random.normal();
    const direction: Direction = signal > 0.004 ? "up" : signal < -0.004 ? "down" : "flat";
    predictions.push({
      id: i + 1,
      modelId: 1,
      stockId: (i % STOCKS) + 1,
      asOf: new Date(START + day * DAY_MS),
      horizon,
      direction,
      confidence: Math.min(1, Math.round((0.45 + 8 * Math.abs(signal)) * 100) / 100),
      realizedReturn,
      result: labelResult(direction, realizedReturn, FLAT_BAND),
      exitDate: new Date(START + (day + horizon) * DAY_MS).toISOString().slice(0, 10),
      indexReturn: random.next() < 0.9 ? 0.01 * random.normal() : null,
    });
  }
  return predictions;
}

const predictions = syntheticPredictions();

Deno.bench({
  name: "sum 1,000,000 realised returns in a loop (baseline)",
  group: "metrics-1m",
  baseline: true,
  fn() {
    let sum = 0;
    for (const prediction of predictions) sum += prediction.realizedReturn;
    if (!Number.isFinite(sum)) throw new Error("non-finite sum");
  },
});

Deno.bench({
  name: "summarize 1,000,000 scored predictions (every DESIGN §6 metric)",
  group: "metrics-1m",
  n: 5,
  warmup: 1,
  fn() {
    const summary = summarize(predictions, { costBps: 10, flatThreshold: FLAT_BAND });
    if (summary.n !== COUNT) throw new Error(`summarized ${summary.n} predictions`);
  },
});
