import assert from "node:assert/strict";
import { dayChange, type DayMove, summariseDay } from "./market.ts";

const move = (symbol: string, change: number): DayMove => ({
  symbol,
  name: symbol,
  close: 100,
  change,
});

Deno.test("summariseDay: breadth without the index, the index apart, movers by size", () => {
  const day = summariseDay("2024-03-08", [
    move("SPY", 0.004),
    move("AAPL", 0.02),
    move("MSFT", -0.01),
    move("NVDA", 0.05),
    move("XOM", 0),
    move("JPM", -0.03),
    move("PG", 0.001),
    move("KO", -0.002),
    move("DIS", 0.01),
  ]);
  assert.ok(day);
  assert.equal(day.index?.symbol, "SPY");
  assert.deepEqual([day.advancers, day.decliners, day.unchanged], [4, 3, 1]);
  assert.deepEqual(day.gainers.map((m) => m.symbol), ["NVDA", "AAPL", "DIS"]);
  assert.deepEqual(day.losers.map((m) => m.symbol), ["JPM", "MSFT", "KO"]);
  assert.equal(summariseDay("2024-03-08", []), null);
  assert.equal(summariseDay("2024-03-08", [move("AAPL", 0.01)])?.index, null);
});

Deno.test("dayChange: adjusted closes when both have one, raw closes otherwise", () => {
  const base = { close: 110, adj_close: 55, previous_close: 100, previous_adj_close: 50 };
  assert.ok(Math.abs((dayChange(base) ?? 0) - 0.1) < 1e-12);
  // A split between the bars shows in raw closes only; without both adjusted, raw it is.
  assert.equal(dayChange({ ...base, previous_adj_close: null }), 110 / 100 - 1);
  assert.equal(dayChange({ ...base, previous_close: null, previous_adj_close: null }), null);
});
