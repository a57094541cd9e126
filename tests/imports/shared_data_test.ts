// The shared real datasets (../shared/data, described by their READMEs) import cleanly, with the
// READMEs' row counts, and a second import changes nothing. Skipped when the folder is absent.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { parseCsv } from "../../lib/imports/csv.ts";
import { HeaderError } from "../../lib/imports/header.ts";
import { importNews, type NewsImportResult } from "../../lib/imports/news_import.ts";
import { importPrices, type PriceImportResult } from "../../lib/imports/prices_import.ts";
import { priceBars } from "../../lib/market/store.ts";
import type { Rejection } from "../../lib/net/fetched.ts";
import { listNews } from "../../lib/news/store.ts";
import { getStock } from "../../lib/stocks/store.ts";
import { seedDefaultUniverse } from "../../lib/stocks/universe.ts";
import { openTestDatabase } from "../support/database.ts";

const DATA = new URL("../../../shared/data/", import.meta.url);

function hasSharedData(): boolean {
  try {
    return Deno.statSync(new URL("prices_daily_2015_2024/prices_daily.csv", DATA)).isFile;
  } catch {
    return false;
  }
}

const available = hasSharedData();
if (!available) {
  console.warn(`SKIPPED tests/imports/shared_data_test.ts: ${DATA.pathname} is missing`);
}

async function open(path: string): Promise<ReadableStream<Uint8Array>> {
  return (await Deno.open(new URL(path, DATA))).readable;
}

async function prices(sql: Sql, path: string): Promise<PriceImportResult> {
  const rejected: Rejection[] = [];
  const result = await importPrices(sql, await open(path), {
    fileName: path,
    onReject: (rejection) => rejected.push(rejection),
  });
  assert.deepEqual(rejected, []);
  return result;
}

async function news(sql: Sql, path: string): Promise<NewsImportResult> {
  const rejected: Rejection[] = [];
  const result = await importNews(sql, await open(path), {
    fileName: path,
    onReject: (rejection) => rejected.push(rejection),
  });
  assert.deepEqual(rejected, []);
  return result;
}

async function count(sql: Sql, query: "price_bar" | "news"): Promise<number> {
  const [row] = await sql<{ count: number }[]>`select count(*) from ${sql(query)}`;
  return row.count;
}

Deno.test({
  name: "shared data: prices 2015–2024 and the FNSPID headlines",
  ignore: !available,
  fn: async (t) => {
    await using db = await openTestDatabase();
    const { sql } = db;
    await seedDefaultUniverse(sql);

    await t.step("prices_daily_2015_2024: 57,868 bars = 23 tickers × 2,516 days", async () => {
      const first = await prices(sql, "prices_daily_2015_2024/prices_daily.csv");
      assert.deepEqual(first, {
        rows: 57_868,
        inserted: 57_868,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        createdStocks: ["A", "WFC"],
        stopped: false,
      });
      const perTicker = await sql<{ n: number }[]>`
        select count(*)::int as n from price_bar group by stock_id`;
      assert.equal(perTicker.length, 23);
      assert.ok(perTicker.every((row) => row.n === 2_516));
      // README: "Example closes on 2015-01-02: … AAPL 24.26".
      const apple = await getStock(sql, "AAPL");
      const [bar] = await priceBars(sql, apple!.id, { from: "2015-01-02", to: "2015-01-02" });
      assert.equal(bar.close, 24.261044);
      assert.equal(bar.volume, 212_818_400);
      assert.equal(bar.closedAt.toISOString(), "2015-01-02T21:00:00.000Z");

      const again = await prices(sql, "prices_daily_2015_2024/prices_daily.csv");
      assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 57_868]);
      assert.equal(await count(sql, "price_bar"), 57_868);
    });

    await t.step("fnspid_headlines_sample: 2,046 rows, A and AAPL", async () => {
      const first = await news(sql, "fnspid_headlines_sample/headlines.csv");
      assert.equal(first.rows, 2_046);
      assert.equal(first.rejected, 0);
      assert.equal(first.inserted + first.duplicates, 2_046);
      assert.equal(first.unknownSymbols.size, 0);
      assert.equal(await count(sql, "news"), first.inserted);
      const agilent = await listNews(sql, { symbol: "A", limit: 2_000 });
      assert.ok(agilent.length > 1_100 && agilent.length <= 1_186, `${agilent.length}`);

      // A timed row: 03:33 EST → 08:33Z, tagged AAPL, the other companies found in the text.
      const [zacks] = await listNews(sql, {
        q: "Zacks Earnings Trends Highlights: Amazon",
        limit: 1,
      });
      assert.equal(zacks.publishedAt.toISOString(), "2024-01-25T08:33:00.000Z");
      assert.equal(zacks.source, "nasdaq.com");
      assert.equal(zacks.symbols[0], "AAPL");
      for (const symbol of ["AMZN", "GOOGL", "MSFT", "NVDA"]) {
        assert.ok(zacks.symbols.includes(symbol), `${symbol} in ${zacks.symbols}`);
      }
      // A date-only row: the end of that New York day.
      const [first2010] = await listNews(sql, {
        q: "Ratings for the Top 50 Tech Stocks",
        limit: 1,
      });
      assert.equal(first2010.publishedAt.toISOString(), "2010-04-16T03:59:59.999Z");

      const again = await news(sql, "fnspid_headlines_sample/headlines.csv");
      assert.deepEqual([again.inserted, again.duplicates, again.linked], [0, 2_046, 0]);
    });
  },
});

Deno.test({
  name: "shared data: StockNet prices 2012–2017 and tweets 2014–2016",
  ignore: !available,
  fn: async (t) => {
    await using db = await openTestDatabase();
    const { sql } = db;
    await seedDefaultUniverse(sql);

    await t.step("stocknet_prices_2012_2017: 23,902 bars = 19 tickers × 1,258 days", async () => {
      const first = await prices(sql, "stocknet_prices_2012_2017/prices_daily.csv");
      assert.deepEqual(first, {
        rows: 23_902,
        inserted: 23_902,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        createdStocks: ["FB", "GOOG", "WFC"],
        stopped: false,
      });
      const apple = await getStock(sql, "AAPL");
      const [bar] = await priceBars(sql, apple!.id, { to: "2012-09-04" });
      assert.deepEqual([bar.date, bar.close, bar.adjClose], ["2012-09-04", 96.424286, 87.12114]);
      const again = await prices(sql, "stocknet_prices_2012_2017/prices_daily.csv");
      assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 23_902]);
    });

    await t.step(
      "stocknet_tweets_2014_2016: 45,345 tweets, multi-ticker copies merged",
      async () => {
        const first = await news(sql, "stocknet_tweets_2014_2016/tweets.csv");
        assert.equal(first.rows, 45_345);
        assert.equal(first.rejected, 0);
        assert.equal(first.inserted + first.duplicates, 45_345);
        // The same tweet filed under several tickers is one story linked to each.
        assert.ok(first.duplicates > 0);
        assert.ok(first.linked > first.inserted);
        assert.equal(await count(sql, "news"), first.inserted);
        const [tweet] = await listNews(sql, {
          symbol: "AAPL",
          to: new Date("2014-01-01T01:52:31Z"),
          limit: 1,
        });
        assert.equal(tweet.publishedAt.toISOString(), "2014-01-01T01:52:31.000Z");
        assert.match(tweet.title, /^#iPhone users are more intelligent/);
        assert.match(tweet.url, /^https:\/\/import\.craveny\.invalid\//);
        assert.ok((await listNews(sql, { symbol: "FB", limit: 1 })).length === 1);

        const again = await news(sql, "stocknet_tweets_2014_2016/tweets.csv");
        assert.deepEqual([again.inserted, again.duplicates, again.linked], [0, 45_345, 0]);
      },
    );
  },
});

Deno.test({
  name: "shared data: the sentiment file's multi-line quoted fields; no date column → refused",
  ignore: !available,
  fn: async () => {
    const path = "twitter_financial_news_sentiment/sent_valid.csv";
    let records = 0;
    let last = 0;
    for await (const record of parseCsv(await open(path))) {
      assert.equal(record.fields.length, 4);
      records++;
      last = record.line;
    }
    // README: 2,388 records over 2,486 physical lines, plus the header.
    assert.equal(records, 2_389);
    assert.equal(last, 2_487);
    await using db = await openTestDatabase();
    await assert.rejects(
      importNews(db.sql, await open(path), { fileName: path }),
      (error: unknown) =>
        error instanceof HeaderError && /missing the date column/.test(error.message),
    );
  },
});
