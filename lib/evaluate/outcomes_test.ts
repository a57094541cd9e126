// Outcome labelling against a real database: trading days from the stock's own bars (a holiday
// gap, crypto's weekend), adjusted closes across a split, the flat band and flat calls, pending
// predictions whose exit bar has not closed, and reruns that add nothing.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { openTestDatabase } from "../../tests/support/database.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { addTestModels, addTestPredictions } from "../../tests/support/predictions.ts";
import { upsertPriceBars } from "../market/store.ts";
import type { Direction } from "../predict/types.ts";
import { upsertStocks } from "../stocks/store.ts";
import { labelOutcomes } from "./outcomes.ts";

const NOW = new Date("2024-07-15T00:00:00Z");
const BAND = 0.001;

interface Outcome {
  entry_date: string;
  exit_date: string;
  realized_return: number;
  result: string;
}

async function outcomeOf(sql: Sql, id: number): Promise<Outcome | undefined> {
  const [row] = await sql<Outcome[]>`
    select to_char(entry_date, 'YYYY-MM-DD') as entry_date,
      to_char(exit_date, 'YYYY-MM-DD') as exit_date, realized_return, result
    from prediction_outcome where prediction_id = ${id}`;
  return row;
}

Deno.test("labelOutcomes", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const [aapl, btc, tsla] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
    { symbol: "BTC-USD", exchange: "CRYPTO", name: "Bitcoin", assetClass: "crypto" },
    { symbol: "TSLA", exchange: "NASDAQ", name: "Tesla" },
  ]);
  // AAPL: 3 July, then the 4th is a holiday, then 5, 8, 9 July. Closes 100 → 110.
  await upsertPriceBars(sql, aapl, [
    testBar("2024-07-02", 100),
    testBar("2024-07-03", 101),
    testBar("2024-07-05", 102),
    testBar("2024-07-08", 102.05),
    testBar("2024-07-09", 110),
  ], "test");
  // BTC trades every day (bars close at 00:00 UTC the next day).
  await upsertPriceBars(sql, btc, [
    testBar("2024-07-05", 50_000),
    testBar("2024-07-06", 51_000),
    testBar("2024-07-07", 49_000),
  ], "test");
  // TSLA splits 2:1 on 8 July: raw closes halve, adjusted closes do not.
  await upsertPriceBars(sql, tsla, [
    testBar("2024-07-05", 200, { adjClose: 100 }),
    testBar("2024-07-08", 101, { adjClose: 101 }),
  ], "test");
  await addTestModels(sql, [{ name: "m" }]);
  const predict = (symbol: string, asOf: string, horizon: number, direction: Direction) =>
    addTestPredictions(sql, [{ model: "m", symbol, asOf, horizon, direction, confidence: 0.6 }])
      .then(([id]) => id);

  // As of the 2 July close (20:00Z): entry is the 3 July close, exit 1 or 2 bars later.
  const h1 = await predict("AAPL", "2024-07-02T20:00:00Z", 1, "up");
  const h2 = await predict("AAPL", "2024-07-02T20:00:00Z", 2, "down");
  const flatMarket = await predict("AAPL", "2024-07-04T12:00:00Z", 1, "up"); // 102 → 102.05
  const flatCall = await predict("AAPL", "2024-07-04T12:00:00Z", 2, "flat"); // 102 → 110
  const flatCallRight = await predict("AAPL", "2024-07-05T12:00:00Z", 1, "flat");
  const tooLong = await predict("AAPL", "2024-07-08T20:00:00Z", 3, "up");
  const weekend = await predict("BTC-USD", "2024-07-05T12:00:00Z", 2, "down");
  const split = await predict("TSLA", "2024-07-03T20:00:00Z", 1, "up");

  await t.step("labels what can be labelled; the rest stays pending", async () => {
    const labelled = await labelOutcomes(sql, { band: BAND, now: NOW, batchSize: 3 });
    assert.equal(labelled, 7);
    assert.equal(await outcomeOf(sql, tooLong), undefined, "no third bar after the 9th yet");
  });

  await t.step("entry is the first close after as-of; trading days skip the holiday", async () => {
    assert.deepEqual(await outcomeOf(sql, h1), {
      entry_date: "2024-07-03",
      exit_date: "2024-07-05",
      realized_return: 102 / 101 - 1,
      result: "win",
    });
    const two = await outcomeOf(sql, h2);
    assert.equal(two?.exit_date, "2024-07-08");
    assert.equal(two?.result, "loss", "down, but it rose");
  });

  await t.step("the flat band, and flat calls: neither win nor loss", async () => {
    const flat = await outcomeOf(sql, flatMarket);
    assert.equal(flat?.entry_date, "2024-07-05");
    assert.ok(Math.abs(flat!.realized_return) < BAND);
    assert.equal(flat?.result, "flat");
    assert.equal(
      (await outcomeOf(sql, flatCall))?.result,
      "flat",
      "no position, though it moved 7.8%",
    );
    assert.equal((await outcomeOf(sql, flatCallRight))?.result, "flat", "102 → 102.05");
  });

  await t.step("crypto counts weekend days; a split is no move on adjusted closes", async () => {
    assert.deepEqual(await outcomeOf(sql, weekend), {
      entry_date: "2024-07-05",
      exit_date: "2024-07-07",
      realized_return: 49_000 / 50_000 - 1,
      result: "win",
    });
    const splitOutcome = await outcomeOf(sql, split);
    assert.equal(splitOutcome?.realized_return, 101 / 100 - 1, "not -49.5%");
    assert.equal(splitOutcome?.result, "win");
  });

  await t.step("a rerun adds nothing; a bar arriving later labels the pending one", async () => {
    assert.equal(await labelOutcomes(sql, { band: BAND, now: NOW }), 0);
    const later = ["2024-07-10", "2024-07-11", "2024-07-12"].map((day, i) => testBar(day, 111 + i));
    await upsertPriceBars(sql, aapl, later, "test");
    assert.equal(await labelOutcomes(sql, { band: BAND, now: NOW }), 1);
    // As of the 8th's close: entry the 9th, then three bars on: 10, 11, 12.
    assert.equal((await outcomeOf(sql, tooLong))?.exit_date, "2024-07-12");
  });

  await t.step("bars not closed by `now` are not used", async () => {
    // Entry the 12th; the exit bar of the 15th closes at 20:00Z that day, after NOW.
    const late = await predict("AAPL", "2024-07-11T20:00:00Z", 1, "up");
    await upsertPriceBars(sql, aapl, [testBar("2024-07-15", 114)], "test");
    assert.equal(await labelOutcomes(sql, { band: BAND, now: NOW }), 0);
    assert.equal(await outcomeOf(sql, late), undefined);
    const after = new Date("2024-07-16T00:00:00Z");
    assert.equal(await labelOutcomes(sql, { band: BAND, now: after }), 1);
  });
});
