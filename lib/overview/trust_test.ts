import assert from "node:assert/strict";
import { type MetricsView, metricsView } from "../api/evaluations_metrics.ts";
import { testSummary } from "../../tests/support/evaluations.ts";
import { judgeTrust, MIN_LIVE } from "./trust.ts";

/** `n` scored predictions with this win-rate interval, mean return and excess over holding. */
function record(n: number, low: number, meanStrategyReturn: number, excess = 0.001): MetricsView {
  return metricsView(testSummary({
    n,
    wins: Math.round(n * 0.6),
    losses: n - Math.round(n * 0.6),
    winRate: { value: 0.6, low, high: 0.7 },
    meanStrategyReturn,
    excessVsBuyAndHold: excess,
  }));
}
const none = metricsView(null);

Deno.test("judgeTrust: beyond chance, money made on average, and more than holding", () => {
  assert.deepEqual(judgeTrust(none, record(400, 0.53, 0.002)), {
    trusted: true,
    basis: "replay",
    n: 400,
  });
  assert.equal(judgeTrust(none, record(400, 0.49, 0.002)).trusted, false, "could be chance");
  assert.equal(judgeTrust(none, record(400, 0.53, -0.001)).trusted, false, "lost money");
  assert.equal(judgeTrust(none, record(400, 0.5, 0.002)).trusted, false, "50% is not above");
  assert.equal(
    judgeTrust(none, record(400, 0.53, 0.002, 0)).trusted,
    false,
    "always saying up in a rising market only matches holding",
  );
});

Deno.test("judgeTrust: the live record decides once it is long enough", () => {
  const goodReplay = record(400, 0.53, 0.002);
  const badLive = record(MIN_LIVE, 0.3, -0.004);
  assert.deepEqual(judgeTrust(badLive, goodReplay), { trusted: false, basis: "live", n: MIN_LIVE });
  const shortLive = record(MIN_LIVE - 1, 0.3, -0.004);
  assert.equal(judgeTrust(shortLive, goodReplay).basis, "replay");
  assert.equal(judgeTrust(shortLive, none).basis, "live", "no replay: the short live record");
  assert.deepEqual(judgeTrust(none, none), { trusted: false, basis: null, n: 0 });
});
