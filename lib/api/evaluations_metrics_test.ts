import assert from "node:assert/strict";
import { testSummary } from "../../tests/support/evaluations.ts";
import type { PairedComparison } from "../evaluate/types.ts";
import {
  favoured,
  METRICS,
  metricsView,
  MIN_BOOTSTRAP_PAIRS,
  RANK_METRICS,
  rankBy,
} from "./evaluations_metrics.ts";

Deno.test("metricsView: no predictions is n 0 and nulls, not a cumulative return of 0", () => {
  for (const empty of [null, testSummary()]) {
    const view = metricsView(empty);
    assert.equal(view.n, 0);
    assert.equal(view.cumulativeReturn, null);
    assert.equal(view.maxDrawdown, null);
    assert.equal(view.cumulativeNetReturn, null);
    assert.ok(RANK_METRICS.every((key) => METRICS[key].value(view) === null));
  }
});

Deno.test("metricsView: numbers pass through; non-finite ones and broken intervals become null", () => {
  const view = metricsView(testSummary({
    n: 3,
    wins: 2,
    losses: 1,
    winRate: { value: 2 / 3, low: 0.2, high: 0.94 },
    cumulativeReturn: 0,
    maxDrawdown: 0,
    sharpe: Number.NaN,
    sortino: Number.POSITIVE_INFINITY,
    ic: { mean: 0.3, std: 0, ir: null, days: 2 },
  }));
  assert.deepEqual(view.winRate, { value: 2 / 3, low: 0.2, high: 0.94 });
  assert.equal(view.cumulativeReturn, 0, "with predictions, 0 is a result");
  assert.equal(view.maxDrawdown, 0);
  assert.deepEqual([view.sharpe, view.sortino, view.icMean, view.icIr], [null, null, 0.3, null]);
  const broken = metricsView(testSummary({
    n: 1,
    winRate: { value: 1, low: Number.NaN, high: 1 },
  }));
  assert.equal(broken.winRate, null);
});

Deno.test("rankBy: best first either way, no value last, ties by n then name", () => {
  const row = (name: string, n: number, sharpe: number | null, brier: number | null) => ({
    name,
    view: metricsView(testSummary({ n, sharpe, brier })),
  });
  const rows = [
    row("d", 5, null, null),
    row("c", 9, 0.5, 0.3),
    row("b", 9, 1.5, 0.2),
    row("a", 9, 0.5, 0.25),
    row("e", 0, null, null),
    row("f", 7, null, null),
  ];
  const names = (ranked: typeof rows) => ranked.map((r) => r.name);
  assert.deepEqual(names(rankBy(rows, METRICS.sharpe, (r) => r)), ["b", "a", "c", "f", "d", "e"]);
  assert.deepEqual(names(rankBy(rows, METRICS.brier, (r) => r)), ["b", "a", "c", "f", "d", "e"]);
  assert.deepEqual(names(rows), ["d", "c", "b", "a", "e", "f"], "the input is left alone");
});

Deno.test("every metric has a label, a definition and a test", () => {
  for (const key of RANK_METRICS) {
    const metric = METRICS[key];
    assert.equal(metric.key, key);
    assert.ok(metric.label && metric.definition.length > 20, key);
  }
  assert.match(METRICS.sharpe.definition, /risk-free rate of 0/);
  assert.deepEqual(
    RANK_METRICS.filter((key) => METRICS[key].test === "mcnemar"),
    ["winRate", "brier"],
  );
});

Deno.test("favoured: McNemar below 5% for whoever was right alone more; the interval off 0 over 30 shared", () => {
  const comparison = (fields: Partial<PairedComparison>): PairedComparison => ({
    shared: 30,
    aOnly: 0,
    bOnly: 0,
    mcnemarP: null,
    meanDifference: null,
    differenceLow: null,
    differenceHigh: null,
    ...fields,
  });
  assert.equal(favoured(comparison({ aOnly: 9, bOnly: 1, mcnemarP: 0.021 }), "mcnemar"), "a");
  assert.equal(favoured(comparison({ aOnly: 1, bOnly: 9, mcnemarP: 0.021 }), "mcnemar"), "b");
  assert.equal(favoured(comparison({ aOnly: 6, bOnly: 2, mcnemarP: 0.05 }), "mcnemar"), null);
  assert.equal(favoured(comparison({}), "mcnemar"), null);
  // McNemar's exact p already weighs how few the pairs are: no floor on shared predictions.
  assert.equal(
    favoured(comparison({ shared: 10, aOnly: 9, bOnly: 1, mcnemarP: 0.021 }), "mcnemar"),
    "a",
  );
  const interval = (low: number, high: number, shared = MIN_BOOTSTRAP_PAIRS) =>
    comparison({
      shared,
      meanDifference: (low + high) / 2,
      differenceLow: low,
      differenceHigh: high,
    });
  assert.equal(MIN_BOOTSTRAP_PAIRS, 30);
  assert.equal(favoured(interval(0.001, 0.02), "bootstrap"), "a");
  assert.equal(favoured(interval(-0.02, -0.001), "bootstrap"), "b");
  assert.equal(favoured(interval(-0.01, 0.02), "bootstrap"), null);
  assert.equal(favoured(interval(0, 0.02), "bootstrap"), null, "touching 0 is not excluding it");
  assert.equal(favoured(comparison({}), "bootstrap"), null);
  // Under 30 shared predictions an interval off 0 is no verdict: two equal differences resample
  // to a zero-width interval.
  assert.equal(favoured(interval(0.001, 0.02, 29), "bootstrap"), null, "one pair short");
  assert.equal(favoured(interval(-0.02, -0.001, 29), "bootstrap"), null);
  assert.equal(favoured(interval(0.04, 0.04, 2), "bootstrap"), null, "two equal differences");
});
