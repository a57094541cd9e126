import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { testBar as bar } from "../../tests/support/fixtures.ts";
import { upsertStocks } from "../stocks/store.ts";
import {
  barsClosedBy,
  latestBarDate,
  latestQuotes,
  priceBars,
  upsertPriceBars,
  upsertPriceRows,
} from "./store.ts";

/** `count` consecutive calendar days from 2000-01-01 (the store does not care about weekends). */
function days(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10),
  );
}

Deno.test("price bar store", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const [apple, bitcoin] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
    { symbol: "BTC-USD", exchange: "CRYPTO", name: "Bitcoin", assetClass: "crypto" },
  ]);
  const week = [
    bar("2024-03-08", 10, { adjClose: null, volume: null }),
    bar("2024-03-11", 11, { adjClose: 10.5 }),
    bar("2024-03-12", 12),
  ];

  await t.step("inserts, then the same batch again changes nothing", async () => {
    assert.deepEqual(await upsertPriceBars(sql, apple, week, "test"), {
      inserted: 3,
      updated: 0,
      unchanged: 0,
    });
    assert.deepEqual(await upsertPriceBars(sql, apple, week, "other"), {
      inserted: 0,
      updated: 0,
      unchanged: 3,
    });
    const stored = await priceBars(sql, apple.id);
    assert.deepEqual(stored.map((row) => [row.date, row.close, row.adjClose, row.volume]), [
      ["2024-03-08", 10, null, null],
      ["2024-03-11", 11, 10.5, 1000],
      ["2024-03-12", 12, null, 1000],
    ]);
    assert.equal(stored[0].source, "test", "an identical bar keeps its first source");
  });

  await t.step("changed values are updated; the rest of the batch stays unchanged", async () => {
    const revised = [week[0], bar("2024-03-11", 11.25), week[2], bar("2024-03-13", 13)];
    assert.deepEqual(await upsertPriceBars(sql, apple, revised, "revision"), {
      inserted: 1,
      updated: 1,
      unchanged: 2,
    });
    const [changed] = await priceBars(sql, apple.id, { from: "2024-03-11", to: "2024-03-11" });
    assert.deepEqual([changed.close, changed.adjClose, changed.source], [11.25, null, "revision"]);
  });

  await t.step(
    "closed_at: 16:00 New York for equities (DST-aware), next 00:00Z for crypto",
    async () => {
      const [winter, summer] = await priceBars(sql, apple.id, { from: "2024-03-08", limit: 10 })
        .then((bars) => [bars[0], bars[1]]);
      assert.equal(winter.closedAt.toISOString(), "2024-03-08T21:00:00.000Z");
      assert.equal(summer.closedAt.toISOString(), "2024-03-11T20:00:00.000Z");
      await upsertPriceBars(sql, bitcoin, [bar("2024-03-10", 68000)], "test");
      const [btc] = await priceBars(sql, bitcoin.id);
      assert.equal(btc.closedAt.toISOString(), "2024-03-11T00:00:00.000Z");
    },
  );

  await t.step("point in time: only bars closed by as_of", async () => {
    const before = await barsClosedBy(sql, apple.id, new Date("2024-03-12T19:59:59Z"), 10);
    assert.deepEqual(before.map((row) => row.date), ["2024-03-08", "2024-03-11"]);
    const atClose = await barsClosedBy(sql, apple.id, new Date("2024-03-12T20:00:00Z"), 2);
    assert.deepEqual(atClose.map((row) => row.date), ["2024-03-11", "2024-03-12"]);
    assert.deepEqual(await barsClosedBy(sql, apple.id, new Date("2024-01-01T00:00:00Z"), 5), []);
  });

  await t.step("ranges, limit keeps the latest, latestBarDate", async () => {
    assert.deepEqual((await priceBars(sql, apple.id, { limit: 2 })).map((row) => row.date), [
      "2024-03-12",
      "2024-03-13",
    ]);
    assert.deepEqual(
      (await priceBars(sql, apple.id, { from: "2024-03-09", to: "2024-03-12" })).map((r) => r.date),
      ["2024-03-11", "2024-03-12"],
    );
    assert.equal(await latestBarDate(sql, apple.id), "2024-03-13");
    assert.equal(await latestBarDate(sql, apple.id + 1000), null);
  });

  await t.step("large batches of several stocks, duplicates in a call counted once", async () => {
    const dates = days(4_500);
    const rows = dates.flatMap((date, i) => [
      { stock: apple, bar: bar(date, 1 + i / 100) },
      { stock: bitcoin, bar: bar(date, 2 + i / 100) },
    ]);
    rows.push({ stock: apple, bar: bar(dates[0], 5) }); // same stock and day again: last wins
    assert.deepEqual(await upsertPriceRows(sql, rows, "bulk"), {
      inserted: 9_000,
      updated: 0,
      unchanged: 0,
    });
    const [first] = await priceBars(sql, apple.id, { to: dates[0] });
    assert.equal(first.close, 5);
    assert.deepEqual(await upsertPriceRows(sql, rows, "bulk"), {
      inserted: 0,
      updated: 0,
      unchanged: 9_000,
    });
    assert.deepEqual(await upsertPriceRows(sql, [], "bulk"), {
      inserted: 0,
      updated: 0,
      unchanged: 0,
    });
  });

  await t.step("a bad bar fails its whole call and leaves nothing behind", async () => {
    const dates = days(5_000).slice(4_600);
    const rows = dates.map((date) => ({ stock: apple, bar: bar(date, 3) }));
    rows[399] = { stock: apple, bar: bar(dates[399], -1) };
    await assert.rejects(upsertPriceRows(sql, rows, "bad"));
    const many = days(9_000).slice(4_600).map((date) => ({ stock: apple, bar: bar(date, 3) }));
    many[4_000] = { stock: apple, bar: bar(many[4_000].bar.date, -1) };
    await assert.rejects(upsertPriceRows(sql, many, "bad"));
    const [{ count }] = await sql<{ count: number }[]>`
      select count(*) from price_bar where source = 'bad'`;
    assert.equal(count, 0);
  });
});

Deno.test("latestQuotes: each stock's newest close and the one before it", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const [apple, bitcoin, microsoft] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
    { symbol: "BTC-USD", exchange: "CRYPTO", name: "Bitcoin", assetClass: "crypto" },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft" },
    { symbol: "NONE", exchange: "NYSE", name: "No bars" },
  ]);
  assert.deepEqual(await latestQuotes(sql), new Map());
  // Stored out of order, with a gap: "previous" is the previous stored bar, not yesterday.
  await upsertPriceBars(sql, apple, [bar("2024-03-12", 12), bar("2024-03-08", 10)], "test");
  await upsertPriceBars(sql, apple, [bar("2024-03-11", 11)], "test");
  await upsertPriceBars(sql, bitcoin, [bar("2024-03-10", 70_000)], "test");
  await upsertPriceBars(sql, microsoft, [bar("2024-03-07", 400), bar("2024-03-08", 390)], "test");
  assert.deepEqual(
    await latestQuotes(sql),
    new Map([
      [apple.id, { date: "2024-03-12", close: 12, previousClose: 11 }],
      [bitcoin.id, { date: "2024-03-10", close: 70_000, previousClose: null }],
      [microsoft.id, { date: "2024-03-08", close: 390, previousClose: 400 }],
    ]),
  );
});
