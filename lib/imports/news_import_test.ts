import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import type { Rejection } from "../net/fetched.ts";
import { listNews } from "../news/store.ts";
import { ensureStocks, upsertStocks } from "../stocks/store.ts";
import { importNews } from "./news_import.ts";

function file(text: string): ReadableStream<Uint8Array> {
  return ReadableStream.from([new TextEncoder().encode(text)]);
}

const now = new Date("2024-03-13T12:00:00Z");

const TWEETS = [
  "ticker,created_at_utc,stocknet_day,cashtags,text",
  'AAPL,2014-01-01T01:52:31Z,2014-01-01,AAPL BBRY,"#iPhone users, $AAPL $BBRY"',
  'MSFT,2014-01-01T01:52:31Z,2014-01-01,AAPL BBRY,"#iPhone users, $AAPL $BBRY"',
  "WFC,2014-01-02T10:00:00Z,2014-01-02,WFC,$WFC results beat",
  ",2014-01-03T10:00:00Z,2014-01-03,,Microsoft shares jump after earnings",
  "AAPL,not a date,2014-01-03,,broken",
  "",
].join("\n");

Deno.test("importNews: tags, text matches, synthetic URLs, duplicates, re-import", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc.", aliases: ["Apple"] },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation", aliases: ["Microsoft"] },
  ]);
  await ensureStocks(sql, ["WFC"]); // inactive: linked by tag, never by text
  const rejected: Rejection[] = [];
  const result = await importNews(sql, file(TWEETS), {
    fileName: "tweets.csv",
    now,
    onReject: (rejection) => rejected.push(rejection),
  });
  assert.deepEqual({ ...result, unknownSymbols: [...result.unknownSymbols] }, {
    rows: 5,
    inserted: 3,
    duplicates: 1,
    // tweet 1: AAPL; its copy under MSFT adds MSFT; WFC by tag; tweet 4: MSFT by name.
    linked: 4,
    rejected: 1,
    unknownSymbols: [["BBRY", 2]],
    stopped: false,
  });
  assert.deepEqual(rejected, [{
    at: 6,
    reason: 'date "not a date" is not YYYY-MM-DD[ HH:MM[:SS]][zone]',
  }]);
  const news = await listNews(sql, { limit: 10 });
  assert.deepEqual(news.map((item) => [item.title, item.symbols]), [
    ["Microsoft shares jump after earnings", ["MSFT"]],
    ["$WFC results beat", ["WFC"]],
    ["#iPhone users, $AAPL $BBRY", ["AAPL", "MSFT"]],
  ]);
  for (const item of news) {
    assert.match(item.url, /^https:\/\/import\.craveny\.invalid\/[0-9a-f]{64}$/);
    assert.equal(item.source, "import:tweets.csv");
    assert.equal(item.publishedAtEstimated, false);
    assert.equal(item.fetchedAt.getTime(), now.getTime());
  }

  const again = await importNews(sql, file(TWEETS), { fileName: "tweets.csv", now });
  assert.deepEqual([again.inserted, again.duplicates, again.linked], [0, 4, 0]);
});

Deno.test("importNews: --tagged-only links only the file's tags; URLs give the source", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  await upsertStocks(sql, [
    { symbol: "A", exchange: "NYSE", name: "Agilent Technologies, Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation", aliases: ["Microsoft"] },
  ]);
  const csv = "ticker,date,time_et,tz,headline,url\n" +
    "A,2010-04-15,,,Microsoft and Agilent sign a deal,https://www.nasdaq.com/articles/x?utm_source=y\n";
  const result = await importNews(sql, file(csv), {
    fileName: "headlines.csv",
    now,
    textMatching: false,
  });
  assert.equal(result.linked, 1);
  const [item] = await listNews(sql, { limit: 1 });
  assert.deepEqual(
    [item.url, item.source, item.symbols, item.publishedAt.toISOString()],
    ["https://www.nasdaq.com/articles/x", "nasdaq.com", ["A"], "2010-04-16T03:59:59.999Z"],
  );
});
