import assert from "node:assert/strict";
import { HeaderError } from "./header.ts";
import {
  newsColumns,
  parseNewsRow,
  splitSymbols,
  storySource,
  SYNTHETIC_URL_PREFIX,
  syntheticUrl,
} from "./news_csv.ts";

const now = new Date("2025-01-01T00:00:00Z");

Deno.test("newsColumns: the shared datasets' headers", () => {
  const tweets = newsColumns(["ticker", "created_at_utc", "stocknet_day", "cashtags", "text"]);
  assert.deepEqual(tweets, {
    width: 5,
    published: 1,
    time: null,
    zone: null,
    title: 4,
    summary: null,
    url: null,
    symbols: [0, 3],
    source: null,
    defaultZone: "UTC",
  });
  const headlines = newsColumns(["ticker", "date", "time_et", "tz", "headline", "url"]);
  assert.deepEqual(
    [headlines.published, headlines.time, headlines.zone, headlines.title, headlines.url],
    [1, 2, 3, 4, 5],
  );
  assert.equal(headlines.defaultZone, "America/New_York");
  const feed = newsColumns(["Published At", "Title", "Description", "Link", "Symbols", "Source"]);
  assert.deepEqual([feed.summary, feed.url, feed.symbols, feed.source], [2, 3, [4], 5]);
});

Deno.test("newsColumns: missing date or title is one error naming the accepted names", () => {
  assert.throws(
    () => newsColumns(["text", "label", "original_label", "original_label_id"]),
    (error: unknown) =>
      error instanceof HeaderError &&
      /date column \(published_at, date, created_at, created_at_utc, datetime or timestamp\)/
        .test(error.message) &&
      /missing the date column\./.test(error.message) &&
      /Header found: "text", "label"/.test(error.message),
  );
  assert.throws(() => newsColumns(["date", "body"]), /missing the title column\./);
});

Deno.test("parseNewsRow: tweets (UTC, cashtags, no URL)", () => {
  const columns = newsColumns(["ticker", "created_at_utc", "stocknet_day", "cashtags", "text"]);
  const result = parseNewsRow(
    ["AAPL", "2014-01-01T01:52:31Z", "2014-01-01", "AAPL BBRY", "#iPhone users,\n  $AAPL $BBRY"],
    columns,
    now,
  );
  assert.deepEqual(result, {
    row: {
      publishedAt: new Date("2014-01-01T01:52:31Z"),
      title: "#iPhone users, $AAPL $BBRY",
      summary: null,
      url: null,
      symbols: ["AAPL", "BBRY"],
      source: null,
    },
  });
});

Deno.test("parseNewsRow: headlines with a date, an optional New York time, a URL", () => {
  const columns = newsColumns(["ticker", "date", "time_et", "tz", "headline", "url"]);
  const dated = parseNewsRow(
    [
      "A",
      "2010-04-15",
      "",
      "",
      "Ratings for the Top 50 Tech Stocks",
      "https://www.nasdaq.com/a?utm_source=x",
    ],
    columns,
    now,
  );
  assert.ok("row" in dated);
  // No time: the last instant of that New York day.
  assert.equal(dated.row.publishedAt.toISOString(), "2010-04-16T03:59:59.999Z");
  assert.equal(dated.row.url, "https://www.nasdaq.com/a");
  assert.deepEqual(dated.row.symbols, ["A"]);
  const timed = parseNewsRow(
    ["AAPL", "2024-01-30", "16:35", "EST", "Apple earnings", "https://www.nasdaq.com/b"],
    columns,
    now,
  );
  assert.ok("row" in timed);
  assert.equal(timed.row.publishedAt.toISOString(), "2024-01-30T21:35:00.000Z");
});

Deno.test("parseNewsRow: a reason for each bad row", () => {
  const columns = newsColumns(["date", "title", "url", "tickers"]);
  const cases: [string[], RegExp][] = [
    [["2024-01-02", "x"], /2 fields where the header has 4/],
    [["2024-01-02", "  ", "", ""], /title is empty/],
    [["yesterday", "t", "", ""], /date "yesterday" is not YYYY-MM-DD/],
    [["2024-01-02", "t", "ftp://x/y", ""], /url "ftp:\/\/x\/y" is not http\(s\)/],
    [["2025-01-03", "t", "", ""], /in the future/],
  ];
  for (const [fields, reason] of cases) {
    const result = parseNewsRow(fields, columns, now);
    assert.ok("reason" in result, fields.join(","));
    assert.match(result.reason, reason);
  }
});

Deno.test("splitSymbols: separators, cashtags, junk dropped", () => {
  assert.deepEqual(splitSymbols("$aapl, MSFT;goog|$AAPL  $ ?? brk-b"), [
    "AAPL",
    "MSFT",
    "GOOG",
    "BRK-B",
  ]);
  assert.deepEqual(splitSymbols(""), []);
});

Deno.test("syntheticUrl: stable per row, distinct between rows", () => {
  const row = { title: "t", summary: null, publishedAt: new Date("2014-01-01T00:00:00Z") };
  const url = syntheticUrl(row);
  assert.match(url, /^https:\/\/import\.craveny\.invalid\/[0-9a-f]{64}$/);
  assert.ok(url.startsWith(SYNTHETIC_URL_PREFIX));
  assert.equal(syntheticUrl({ ...row }), url);
  assert.notEqual(syntheticUrl({ ...row, title: "u" }), url);
  assert.notEqual(
    syntheticUrl({ ...row, publishedAt: new Date("2014-01-02T00:00:00Z") }),
    url,
  );
});

Deno.test("storySource: source column, else the URL's host, else the fallback", () => {
  assert.equal(storySource({ source: "Reuters", url: "https://x.com/a" }, "f"), "Reuters");
  assert.equal(storySource({ source: null, url: "https://www.nasdaq.com/a" }, "f"), "nasdaq.com");
  assert.equal(storySource({ source: null, url: null }, "import:tweets.csv"), "import:tweets.csv");
});
