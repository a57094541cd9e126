import assert from "node:assert/strict";
import { compound, dailyMeans, netStrategyReturns, position, strategyReturn } from "./strategy.ts";
import { assertClose, scored } from "./testing.ts";

function day(n: number): Date {
  return new Date(Date.UTC(2024, 0, n, 21));
}

Deno.test("strategyReturn: long gains the return, short its opposite, flat nothing", () => {
  assert.deepEqual([position("up"), position("down"), position("flat")], [1, -1, 0]);
  assert.equal(strategyReturn(scored({ direction: "up", realizedReturn: 0.02 })), 0.02);
  assert.equal(strategyReturn(scored({ direction: "down", realizedReturn: 0.02 })), -0.02);
  assert.equal(strategyReturn(scored({ direction: "flat", realizedReturn: 0.02 })), 0);
});

Deno.test("netStrategyReturns: each position change costs 10 bps per unit, per model and stock", () => {
  // Stock 1 (given out of order): up, up, down, flat → changes 0→1, 1→1, 1→−1, −1→0 = 1, 0, 2, 1
  // units × 0.001. Stock 2: down from 0 = 1 unit. Model 2 on stock 1: up from 0 = 1 unit.
  const predictions = [
    scored({ id: 3, asOf: day(4), direction: "down", realizedReturn: -0.01 }), // 0.01 − 0.002
    scored({ id: 1, asOf: day(2), direction: "up", realizedReturn: 0.02 }), // 0.02 − 0.001
    scored({ id: 4, asOf: day(5), direction: "flat", realizedReturn: 0.03 }), // 0 − 0.001
    scored({ id: 2, asOf: day(3), direction: "up", realizedReturn: -0.01 }), // −0.01 − 0
    scored({ id: 5, stockId: 2, asOf: day(3), direction: "down", realizedReturn: 0.01 }), // −0.011
    scored({ id: 6, modelId: 2, asOf: day(3), direction: "up", realizedReturn: -0.01 }), // −0.011
  ];
  const net = netStrategyReturns(predictions, 10);
  [0.008, 0.019, -0.001, -0.01, -0.011, -0.011].forEach((expected, i) =>
    assertClose(net[i], expected, `prediction ${predictions[i].id}`)
  );
  assert.deepEqual(netStrategyReturns(predictions, 0), predictions.map(strategyReturn));
  assert.deepEqual(netStrategyReturns([], 10), []);
});

Deno.test("netStrategyReturns: several horizons at one as-of change position shortest first", () => {
  // Horizon 1 (up) then horizon 5 (down): 1 unit, then 2 units at 100 bps.
  const net = netStrategyReturns([
    scored({ id: 1, horizon: 5, direction: "down", realizedReturn: 0 }),
    scored({ id: 2, horizon: 1, direction: "up", realizedReturn: 0 }),
  ], 100);
  assertClose(net[0], -0.02);
  assertClose(net[1], -0.01);
});

Deno.test("dailyMeans: per exit day the mean, days ascending", () => {
  // 2024-01-02: −0.02 alone; 2024-01-03: (0.01 + 0.03) / 2 = 0.02.
  assert.deepEqual(
    dailyMeans([0.01, 0.03, -0.02], ["2024-01-03", "2024-01-03", "2024-01-02"]),
    [-0.02, 0.02],
  );
  assert.deepEqual(dailyMeans([], []), []);
});

Deno.test("compound: 1.1 × 0.9 − 1 = −0.01; no days is 0", () => {
  assertClose(compound([0.1, -0.1]), -0.01);
  assert.equal(compound([]), 0);
});
