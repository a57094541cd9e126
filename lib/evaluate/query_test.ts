import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { upsertPriceBars } from "../market/store.ts";
import { upsertStocks } from "../stocks/store.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import {
  addTestDailyPerformance,
  addTestSnapshots,
  testSummary,
} from "../../tests/support/evaluations.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { addTestModels, addTestPredictions } from "../../tests/support/predictions.ts";
import {
  dailyCurve,
  experimentScored,
  latestSnapshots,
  modelSnapshot,
  perStockRecord,
  scoredPredictions,
} from "./query.ts";

const near = (actual: number | null, expected: number, message?: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${message}: ${actual}`);

/**
 * Scored predictions named by what tells them apart (addTestPredictions labels an outcome with
 * entry day = as-of day + 1 and exit day = entry day + horizon), plus one still pending. SPY's
 * bars: adjusted closes on 03-05 and 03-06 (raw closes say otherwise), a raw one on 03-07.
 */
async function seed(sql: Sql) {
  const [apple, microsoft, spy] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
    { symbol: "SPY", exchange: "NYSE", name: "SPDR S&P 500 ETF" },
  ]);
  await upsertPriceBars(sql, spy, [
    testBar("2024-03-05", 500, { adjClose: 250 }),
    testBar("2024-03-06", 510, { adjClose: 252.5 }),
    testBar("2024-03-07", 520),
  ], "test");
  const [momentum, gpt] = await addTestModels(sql, [
    { name: "momentum" },
    { name: "gpt-judge", provider: "openai", prompt: "Judge {{symbol}}" },
  ]);
  const names = [
    "aapl-up-win",
    "msft-down-loss",
    "aapl-up-loss",
    "aapl-pending",
    "aapl-replay",
    "msft-contaminated",
    "gpt-aapl",
    "gpt-experiment",
  ];
  const ids = await addTestPredictions(sql, [
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      horizon: 1,
      direction: "up",
      confidence: 0.6,
      outcome: { realizedReturn: 0.02, result: "win" },
    },
    {
      model: "momentum",
      symbol: "MSFT",
      asOf: "2024-03-04T21:00:00Z",
      horizon: 1,
      direction: "down",
      confidence: 0.7,
      outcome: { realizedReturn: 0.01, result: "loss" },
    },
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-05T21:00:00Z",
      horizon: 1,
      direction: "up",
      confidence: 0.8,
      outcome: { realizedReturn: -0.03, result: "loss" },
    },
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-06T21:00:00Z",
      horizon: 1,
      direction: "flat",
      confidence: 0.5,
    },
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      horizon: 5,
      direction: "up",
      confidence: 0.6,
      mode: "replay",
      outcome: { realizedReturn: 0.05, result: "win" },
    },
    {
      model: "momentum",
      symbol: "MSFT",
      asOf: "2024-03-05T21:00:00Z",
      horizon: 1,
      direction: "up",
      confidence: 0.9,
      contaminated: true,
      outcome: { realizedReturn: 0.04, result: "win" },
    },
    {
      model: "gpt-judge",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      horizon: 1,
      direction: "down",
      confidence: 0.8,
      outcome: { realizedReturn: 0.02, result: "loss" },
    },
    {
      model: "gpt-judge",
      symbol: "MSFT",
      asOf: "2024-03-04T21:00:00Z",
      horizon: 1,
      direction: "up",
      confidence: 0.55,
      abTest: { name: "judges", variant: "B" },
      outcome: { realizedReturn: 0.01, result: "win" },
    },
  ]);
  const nameOf = new Map(ids.map((id, i) => [id, names[i]]));
  const named = (predictions: { id: number }[]) => predictions.map((p) => nameOf.get(p.id));
  return { apple, microsoft, momentum, gpt, ids, named };
}

Deno.test("scoredPredictions: labelled predictions by exit day, filtered, with SPY's return", async () => {
  await using db = await openTestDatabase();
  const { apple, microsoft, momentum, ids, named } = await seed(db.sql);
  const live = { mode: "live", population: "clean" } as const;

  const all = await scoredPredictions(db.sql, live);
  assert.deepEqual(named(all), [
    "aapl-up-win",
    "msft-down-loss",
    "gpt-aapl",
    "gpt-experiment",
    "aapl-up-loss",
  ]);
  assert.deepEqual(all[0], {
    id: ids[0],
    modelId: momentum,
    stockId: apple.id,
    asOf: new Date("2024-03-04T21:00:00Z"),
    horizon: 1,
    direction: "up",
    confidence: 0.6,
    realizedReturn: 0.02,
    result: "win",
    exitDate: "2024-03-06",
    // Adjusted closes on both days: 252.5 / 250 (the raw closes would say +2%).
    indexReturn: 0.010000000000000009,
  });
  // 03-06 → 03-07: no adjusted close on 03-07, so raw closes on both days.
  near(all[4].indexReturn, 520 / 510 - 1, "raw closes");

  const momentumLive = { ...live, modelId: momentum };
  assert.deepEqual(named(await scoredPredictions(db.sql, momentumLive)), [
    "aapl-up-win",
    "msft-down-loss",
    "aapl-up-loss",
  ]);
  assert.deepEqual(
    named(await scoredPredictions(db.sql, { ...momentumLive, stockId: microsoft.id })),
    ["msft-down-loss"],
  );
  // from and to are exit days, inclusive.
  assert.deepEqual(
    named(await scoredPredictions(db.sql, { ...momentumLive, from: "2024-03-07" })),
    ["aapl-up-loss"],
  );
  assert.deepEqual(
    named(await scoredPredictions(db.sql, { ...momentumLive, to: "2024-03-06" })),
    ["aapl-up-win", "msft-down-loss"],
  );
  assert.deepEqual(
    named(await scoredPredictions(db.sql, { mode: "live", population: "contaminated" })),
    ["msft-contaminated"],
  );
  const replay = await scoredPredictions(db.sql, { mode: "replay", population: "clean" });
  assert.deepEqual(named(replay), ["aapl-replay"]);
  assert.equal(replay[0].exitDate, "2024-03-10");
  assert.equal(replay[0].indexReturn, null, "SPY has no bar on the exit day");
});

Deno.test("scoredPredictions: without SPY every index return is null", async () => {
  await using db = await openTestDatabase();
  await upsertStocks(db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." }]);
  await addTestModels(db.sql, [{ name: "momentum" }]);
  await addTestPredictions(db.sql, [{
    model: "momentum",
    symbol: "AAPL",
    asOf: "2024-03-04T21:00:00Z",
    direction: "up",
    confidence: 0.6,
    outcome: { realizedReturn: 0.02, result: "win" },
  }]);
  const [only] = await scoredPredictions(db.sql, { mode: "live", population: "clean" });
  assert.equal(only.indexReturn, null);
});

Deno.test("experimentScored: an experiment's predictions with their variant", async () => {
  await using db = await openTestDatabase();
  const { named } = await seed(db.sql);
  const [{ id }] = await db.sql<{ id: number }[]>`select id from ab_test where name = 'judges'`;
  const scored = await experimentScored(db.sql, id, { mode: "live", population: "clean" });
  assert.deepEqual(named(scored), ["gpt-experiment"]);
  assert.equal(scored[0].variant, "B");
  assert.deepEqual(await experimentScored(db.sql, id, { mode: "replay", population: "clean" }), []);
  assert.deepEqual(
    await experimentScored(db.sql, id + 1, { mode: "live", population: "clean" }),
    [],
  );
});

Deno.test("perStockRecord: a model's record per stock, most predicted first", async () => {
  await using db = await openTestDatabase();
  const { apple, microsoft, momentum } = await seed(db.sql);
  const records = await perStockRecord(db.sql, momentum, { mode: "live", population: "clean" });
  assert.equal(records.length, 2);
  const [aapl, msft] = records;
  assert.deepEqual({ ...aapl, meanStrategyReturn: 0, meanReturn: 0 }, {
    stockId: apple.id,
    symbol: "AAPL",
    name: "Apple Inc.",
    n: 2,
    wins: 1,
    losses: 1,
    flats: 0,
    meanStrategyReturn: 0,
    meanReturn: 0,
  });
  near(aapl.meanStrategyReturn, (0.02 - 0.03) / 2, "AAPL strategy");
  near(aapl.meanReturn, (0.02 - 0.03) / 2, "AAPL held");
  assert.equal(msft.stockId, microsoft.id);
  near(msft.meanStrategyReturn, -0.01, "short MSFT while it rose");
  near(msft.meanReturn, 0.01, "MSFT held");
  // Windows narrow by exit day; the contaminated population is its own record.
  assert.deepEqual(
    (await perStockRecord(db.sql, momentum, {
      mode: "live",
      population: "clean",
      from: "2024-03-07",
      to: "2024-03-07",
    })).map((r) => [r.symbol, r.n]),
    [["AAPL", 1]],
  );
  assert.deepEqual(
    (await perStockRecord(db.sql, momentum, { mode: "live", population: "contaminated" }))
      .map((r) => [r.symbol, r.n, r.wins]),
    [["MSFT", 1, 1]],
  );
});

Deno.test("dailyCurve: the stored curve beside buy-and-hold of the same calls, with drawdown", async () => {
  await using db = await openTestDatabase();
  const { momentum } = await seed(db.sql);
  await addTestDailyPerformance(db.sql, "momentum", "live", [
    { date: "2024-03-07", n: 1, strategyReturn: -0.03 },
    { date: "2024-03-06", n: 2, strategyReturn: 0.005 },
  ]);
  // Another mode and another model: not part of this curve.
  await addTestDailyPerformance(db.sql, "momentum", "replay", [
    { date: "2024-03-10", n: 1, strategyReturn: 0.05 },
  ]);
  await addTestDailyPerformance(db.sql, "gpt-judge", "live", [
    { date: "2024-03-06", n: 2, strategyReturn: -0.005 },
  ]);
  const curve = await dailyCurve(db.sql, momentum, "live");
  assert.deepEqual(curve.map((point) => [point.date, point.n]), [
    ["2024-03-06", 2],
    ["2024-03-07", 1],
  ]);
  const [first, second] = curve;
  near(first.strategyReturn, 0.005, "day 1");
  near(first.cumulativeReturn, 0.005, "day 1 cumulative");
  near(first.drawdown, 0, "a new high");
  // Buy-and-hold: the clean calls resolved that day (AAPL +2%, MSFT +1%; not the contaminated).
  near(first.buyAndHoldReturn, 0.015, "held day 1");
  near(first.buyAndHoldCumulativeReturn, 0.015, "held day 1 cumulative");
  near(second.cumulativeReturn, 1.005 * 0.97 - 1, "day 2 cumulative");
  near(second.buyAndHoldReturn, -0.03, "held day 2");
  near(second.buyAndHoldCumulativeReturn, 1.015 * 0.97 - 1, "held day 2 cumulative");
  near(second.drawdown, -0.03, "3% below the peak of day 1");

  const losing = await addTestModels(db.sql, [{ name: "loser" }]);
  await addTestDailyPerformance(db.sql, "loser", "live", [
    { date: "2024-03-06", n: 1, strategyReturn: -0.1 },
  ]);
  const [down] = await dailyCurve(db.sql, losing[0], "live");
  near(down.drawdown, -0.1, "a first-day loss is a drawdown from the starting equity");
  near(down.buyAndHoldCumulativeReturn, 0, "no outcomes behind it: holding earned nothing");
  assert.equal((await dailyCurve(db.sql, momentum + 1000, "live")).length, 0);
});

Deno.test("latestSnapshots: each model's newest whole-model snapshot for the key", async () => {
  await using db = await openTestDatabase();
  await upsertStocks(db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." }]);
  const [momentum] = await addTestModels(db.sql, [
    { name: "momentum" },
    { name: "gpt-judge", provider: "openai" },
    { name: "idle" },
    { name: "retired" },
    { name: "old" },
  ]);
  await db.sql`update model set active = false where name in ('retired', 'old')`;
  const summary = (n: number) => testSummary({ n, wins: n });
  await addTestSnapshots(db.sql, [
    { model: "momentum", metrics: summary(1), computedAt: "2024-03-01T00:00:00Z" },
    {
      model: "momentum",
      metrics: summary(3),
      periodStart: "2024-01-02",
      periodEnd: "2024-03-07",
      computedAt: "2024-03-08T00:00:00Z",
    },
    { model: "momentum", windowDays: 30, metrics: summary(2) },
    { model: "momentum", mode: "replay", metrics: summary(4) },
    { model: "momentum", population: "contaminated", metrics: summary(5) },
    // Per-variant and per-stock snapshots are not the model's.
    { model: "momentum", variant: "A", metrics: summary(6), computedAt: "2024-03-09T00:00:00Z" },
    { model: "momentum", stockSymbol: "AAPL", metrics: summary(7) },
    { model: "gpt-judge", metrics: summary(8) },
    { model: "old", metrics: summary(9) },
  ]);
  const board = async (key: Parameters<typeof latestSnapshots>[1]) =>
    (await latestSnapshots(db.sql, key)).map(({ model, snapshot }) => [
      model.name,
      snapshot?.metrics.n ?? null,
    ]);
  const clean = { mode: "live", population: "clean", windowDays: null } as const;
  // By name; an active model without a snapshot shows (no data), a retired one only with one.
  assert.deepEqual(await board(clean), [
    ["gpt-judge", 8],
    ["idle", null],
    ["momentum", 3],
    ["old", 9],
  ]);
  assert.deepEqual(await board({ ...clean, windowDays: 30 }), [
    ["gpt-judge", null],
    ["idle", null],
    ["momentum", 2],
  ]);
  assert.deepEqual((await board({ ...clean, mode: "replay" }))[2], ["momentum", 4]);
  assert.deepEqual((await board({ ...clean, population: "contaminated" }))[2], ["momentum", 5]);

  const one = await modelSnapshot(db.sql, momentum, clean);
  assert.deepEqual(one?.model, {
    id: momentum,
    name: "momentum",
    provider: "builtin",
    active: true,
  });
  assert.equal(one?.snapshot?.periodStart, "2024-01-02");
  assert.equal(one?.snapshot?.periodEnd, "2024-03-07");
  assert.deepEqual(one?.snapshot?.computedAt, new Date("2024-03-08T00:00:00Z"));
  assert.deepEqual(one?.snapshot?.metrics, summary(3));
  const retired = await modelSnapshot(db.sql, momentum + 3, clean);
  assert.deepEqual([retired?.model.name, retired?.snapshot], ["retired", null]);
  assert.equal(await modelSnapshot(db.sql, momentum + 100, clean), null);
});
