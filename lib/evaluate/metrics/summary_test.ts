import assert from "node:assert/strict";
import type { MetricsSummary, ScoredPrediction } from "../types.ts";
import { comparePaired, summarize } from "./summary.ts";
import { assertClose, scored } from "./testing.ts";

const JAN_2 = new Date("2024-01-02T21:00:00Z");
const JAN_3 = new Date("2024-01-03T21:00:00Z");

/** Two stocks over two days: A's calls in the summary and paired tests. */
const A: ScoredPrediction[] = [
  scored({
    id: 1,
    stockId: 1,
    asOf: JAN_2,
    direction: "up",
    confidence: 0.8,
    realizedReturn: 0.02,
    result: "win",
    exitDate: "2024-01-03",
    indexReturn: 0.01,
  }),
  scored({
    id: 2,
    stockId: 2,
    asOf: JAN_2,
    direction: "down",
    confidence: 0.6,
    realizedReturn: 0.01,
    result: "loss",
    exitDate: "2024-01-03",
    indexReturn: 0.01,
  }),
  scored({
    id: 3,
    stockId: 1,
    asOf: JAN_3,
    direction: "down",
    confidence: 0.7,
    realizedReturn: -0.03,
    result: "win",
    exitDate: "2024-01-04",
    indexReturn: null,
  }),
  scored({
    id: 4,
    stockId: 2,
    asOf: JAN_3,
    direction: "flat",
    confidence: 0.5,
    realizedReturn: 0.0005,
    result: "flat", // a flat call: no position, neither win nor loss
    exitDate: "2024-01-04",
    indexReturn: -0.02,
  }),
];

function assertSummaryClose(actual: MetricsSummary, expected: Partial<MetricsSummary>) {
  for (const [field, want] of Object.entries(expected)) {
    const got = actual[field as keyof MetricsSummary];
    if (typeof want === "number" || want === null) assertClose(got as number | null, want, field);
    else assert.deepEqual(got, want, field);
  }
}

Deno.test("summarize: four predictions, every metric by hand", () => {
  const summary = summarize(A, { costBps: 10 });
  assertSummaryClose(summary, {
    n: 4,
    wins: 2,
    losses: 1,
    flats: 1, // id 4, a flat call
    // p: 2 of 3 is as likely as any outcome but 0 or 3 … every outcome counts: 1.
    pValue: 1,
    // Strategy returns 0.02, −0.01, 0.03, 0 → mean 0.01.
    meanStrategyReturn: 0.01,
    // Exit days: 01-03 (0.02 − 0.01) / 2 = 0.005; 01-04 (0.03 + 0) / 2 = 0.015.
    // 1.005 × 1.015 − 1.
    cumulativeReturn: 0.020075,
    // Costs 0.001 per unit: stock 1 0→up 1, up→down 2; stock 2 0→down 1, down→flat 1.
    // Net 0.019, −0.011, 0.028, −0.001 → mean 0.035 / 4.
    meanNetReturn: 0.00875,
    // Net days 0.004 and 0.0135: 1.004 × 1.0135 − 1.
    cumulativeNetReturn: 0.017554,
    // Buy and hold: (0.02 + 0.01 − 0.03 + 0.0005) / 4 = 0.000125.
    excessVsBuyAndHold: 0.009875,
    // With an index return: ids 1, 2, 4 → strategy (0.02 − 0.01 + 0) / 3, index (0.01 + 0.01 − 0.02) / 3 = 0.
    excessVsIndex: 0.01 / 3,
    // Days 0.005, 0.015: mean 0.01 / std 0.005·√2 = √2, × √252.
    sharpe: Math.sqrt(504),
    // No losing day: no downside to divide by.
    sortino: null,
    maxDrawdown: 0,
    // Wins and losses only: (0.2² + 0.6² + 0.3²) / 3 = (0.04 + 0.36 + 0.09) / 3.
    brier: 0.49 / 3,
    // Two predictions per as-of day: no IC day.
    ic: { mean: null, std: null, ir: null, days: 0 },
  });
  assertClose(summary.winRate!.value, 2 / 3);
  assertClose(summary.winRate!.low, 0.20765960080204782); // scipy's Wilson for 2 of 3
  assertClose(summary.winRate!.high, 0.9385080552796038);
  const filled = summary.calibration.filter((bucket) => bucket.n > 0);
  assert.deepEqual(filled.map(({ from, n, winRate }) => ({ from, n, winRate })), [
    { from: 0.6, n: 1, winRate: 0 },
    { from: 0.7, n: 1, winRate: 1 },
    { from: 0.8, n: 1, winRate: 1 },
  ]);
});

Deno.test("summarize: a flat threshold relabels by outcomes.ts's rule", () => {
  // Band 0.015: id 2 (down, +0.01) is inside it → flat; id 4 is a flat call → flat.
  const summary = summarize(A, { costBps: 10, flatThreshold: 0.015 });
  assert.deepEqual([summary.wins, summary.losses, summary.flats], [2, 0, 2]);
  // Band 0: every directional call is right or wrong; the flat call stays flat.
  const strict = summarize(A, { costBps: 10, flatThreshold: 0 });
  assert.deepEqual([strict.wins, strict.losses, strict.flats], [2, 1, 1]);
  // Strategy returns do not depend on labels.
  assert.equal(strict.meanStrategyReturn, summarize(A, { costBps: 10 }).meanStrategyReturn);
});

Deno.test("summarize: no predictions is all nulls and zeros, never NaN", () => {
  const summary = summarize([], { costBps: 10 });
  const { calibration, ...rest } = summary;
  assert.deepEqual(rest, {
    n: 0,
    wins: 0,
    losses: 0,
    flats: 0,
    winRate: null,
    pValue: null,
    meanStrategyReturn: null,
    cumulativeReturn: 0,
    meanNetReturn: null,
    cumulativeNetReturn: 0,
    excessVsBuyAndHold: null,
    excessVsIndex: null,
    sharpe: null,
    sortino: null,
    maxDrawdown: 0,
    brier: null,
    ic: { mean: null, std: null, ir: null, days: 0 },
  });
  assert.equal(calibration.length, 10);
  assert.ok(calibration.every((bucket) => bucket.n === 0 && bucket.winRate === null));
  const nonFinite = (_: string, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? "NON-FINITE" : value;
  assert.ok(!JSON.stringify(summary, nonFinite).includes("NON-FINITE"));
  assert.equal(summarize([], { costBps: 0, buckets: 3 }).calibration.length, 3);
});

Deno.test("summarize: all flats — no win rate, p or Brier; returns 0; no Sharpe or Sortino", () => {
  const flats = [1, 2, 3].map((id) =>
    scored({
      id,
      stockId: id,
      direction: "flat",
      realizedReturn: 0.01 * id,
      result: "flat",
      exitDate: `2024-01-0${id + 2}`,
    })
  );
  const summary = summarize(flats, { costBps: 10 });
  assert.deepEqual([summary.wins, summary.losses, summary.flats], [0, 0, 3]);
  assert.deepEqual([summary.winRate, summary.pValue, summary.brier], [null, null, null]);
  assert.deepEqual([summary.meanStrategyReturn, summary.cumulativeReturn], [0, 0]);
  // Staying out never changes position: no cost either.
  assert.deepEqual([summary.meanNetReturn, summary.cumulativeNetReturn], [0, 0]);
  // Three zero days: std 0 and no downside.
  assert.deepEqual([summary.sharpe, summary.sortino, summary.maxDrawdown], [null, null, 0]);
});

Deno.test("summarize: a single exit day has no Sharpe or Sortino", () => {
  const summary = summarize(A.slice(0, 2), { costBps: 10 });
  assertClose(summary.cumulativeReturn, 0.005);
  assert.deepEqual([summary.sharpe, summary.sortino], [null, null]);
});

Deno.test("summarize: a non-finite number is a RangeError naming the prediction", () => {
  const bad = (fields: Partial<ScoredPrediction>) => [A[0], scored({ id: 99, ...fields })];
  assert.throws(() => summarize(bad({ realizedReturn: NaN }), { costBps: 1 }), /prediction 99/);
  assert.throws(() => summarize(bad({ confidence: 1.2 }), { costBps: 1 }), /prediction 99/);
  assert.throws(() => summarize(bad({ indexReturn: Infinity }), { costBps: 1 }), /prediction 99/);
  assert.throws(
    () => summarize(bad({ asOf: new Date("not a date") }), { costBps: 1 }),
    /prediction 99/,
  );
  assert.throws(() => summarize(A, { costBps: -1 }), RangeError);
  assert.throws(() => summarize(A, { costBps: 1, flatThreshold: NaN }), RangeError);
});

Deno.test("comparePaired: shared calls, McNemar and the bootstrap by hand", () => {
  const B = [
    { ...A[0], id: 11, modelId: 2, direction: "down", result: "loss" }, // A wins, B loses
    { ...A[1], id: 12, modelId: 2 }, // both lose
    { ...A[2], id: 13, modelId: 2, horizon: 3 }, // another horizon: not shared
    { ...A[3], id: 14, modelId: 2, asOf: new Date(JAN_3.getTime() + 1) }, // another instant
  ] satisfies ScoredPrediction[];
  const comparison = comparePaired(A, B);
  // Differences: id 1 0.02 − (−0.02) = 0.04; id 2 −0.01 − (−0.01) = 0 → mean 0.02. A resample of
  // two is 0, 0.02 or 0.04 with chances ¼, ½, ¼, so 2.5% and 97.5% of 2,000 land on 0 and 0.04.
  assert.deepEqual(comparison, {
    shared: 2,
    aOnly: 1,
    bOnly: 0,
    mcnemarP: 1, // one discordant pair: 2 × ½ capped at 1
    meanDifference: 0.02,
    differenceLow: 0,
    differenceHigh: 0.04,
  });
  assert.deepEqual(comparePaired(A, B, { resamples: 2_000, seed: 42 }), comparison);
});

Deno.test("comparePaired: nothing shared is zeros and nulls", () => {
  assert.deepEqual(comparePaired(A, []), {
    shared: 0,
    aOnly: 0,
    bOnly: 0,
    mcnemarP: null,
    meanDifference: null,
    differenceLow: null,
    differenceHigh: null,
  });
  assert.throws(() => comparePaired(A, A, { seed: 1.5 }), RangeError);
  assert.throws(() => comparePaired([scored({ realizedReturn: NaN, id: 5 })], A), /prediction 5/);
});
