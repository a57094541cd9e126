import assert from "node:assert/strict";
import { testStock } from "../../tests/support/fixtures.ts";
import { MemoryCache } from "../cache/memory.ts";
import { type FetchedPayload, PayloadError } from "../net/fetched.ts";
import { FetchError } from "../net/http_fetch.ts";
import { parseYahooChart, YahooSource } from "./source_yahoo.ts";

const aapl = testStock("AAPL", "Apple Inc.", { aliases: ["Apple"] });

const fixture = (name: string) => Deno.readFile(new URL(`./fixtures/${name}`, import.meta.url));

async function payload(name: string, fetchedAt = "2024-01-09T00:00:00Z"): Promise<FetchedPayload> {
  return {
    source: "yahoo",
    url: "https://query1.finance.yahoo.com/v8/finance/chart/AAPL",
    contentType: "application/json",
    body: await fixture(name),
    fetchedAt: new Date(fetchedAt),
  };
}

Deno.test("yahoo: a good chart gives exchange-local daily bars with adjusted closes", async () => {
  const { rows, rejected } = parseYahooChart(await payload("yahoo_aapl.json"), aapl);
  assert.deepEqual(rejected, []);
  // Timestamps are 09:30 New York (14:30 UTC): dated by the New York day.
  assert.deepEqual(rows.map((row) => row.date), [
    "2024-01-02",
    "2024-01-03",
    "2024-01-04",
    "2024-01-05",
    "2024-01-08",
  ]);
  assert.deepEqual(rows[0], {
    date: "2024-01-02",
    open: 187.14999389648438,
    high: 188.44000244140625,
    low: 183.88499450683594,
    close: 185.63999938964844,
    adjClose: 184.73289489746094,
    volume: 82488700,
  });
});

Deno.test("yahoo: the bar of a session still open at fetch time is rejected", async () => {
  const { rows, rejected } = parseYahooChart(
    await payload("yahoo_aapl.json", "2024-01-08T18:00:00Z"),
    aapl,
  );
  assert.equal(rows.length, 4);
  assert.deepEqual(rejected, [{
    at: 5,
    reason: "2024-01-08 had not closed when fetched (closes 2024-01-08T21:00:00.000Z)",
  }]);
});

Deno.test("yahoo: nulls in the middle reject only their row", async () => {
  const { rows, rejected } = parseYahooChart(await payload("yahoo_nulls.json"), aapl);
  assert.deepEqual(rows.map((row) => [row.date, row.volume]), [
    ["2024-01-02", 82488700],
    ["2024-01-04", 71983600],
    ["2024-01-05", null], // a missing volume alone is kept as unknown
  ]);
  assert.deepEqual(rejected, [
    { at: 2, reason: "missing open, high, low, close, adjclose (null)" },
    { at: 5, reason: "missing adjclose (null)" },
  ]);
});

Deno.test("yahoo: invalid bars are rejected with the reason", async () => {
  const { rows, rejected } = parseYahooChart(await payload("yahoo_bad_bars.json"), aapl);
  assert.deepEqual(rows.map((row) => row.date), ["2024-01-02"]);
  assert.deepEqual(rejected, [
    { at: 2, reason: "high 183.42999267578125 is below low 185.8800048828125" },
    { at: 3, reason: "close 0 is not positive" },
    { at: 4, reason: "volume -5 is not a non-negative number" },
    {
      at: 5,
      reason: "close 190.1199951171875 is outside low 181.5 – high 185.60000610351562",
    },
  ]);
});

Deno.test("yahoo: a 4:1 split leaves no bogus -75% return in adjusted-close returns", async () => {
  const { rows, rejected } = parseYahooChart(
    await payload("yahoo_aapl_split.json", "2020-09-02T00:00:00Z"),
    aapl,
  );
  assert.deepEqual(rejected, []);
  assert.deepEqual(rows.map((row) => row.date), [
    "2020-08-26",
    "2020-08-27",
    "2020-08-28",
    "2020-08-31", // the split's effective day
    "2020-09-01",
  ]);
  const returns = rows.slice(1).map((row, i) =>
    (row.adjClose ?? NaN) / (rows[i].adjClose ?? NaN) - 1
  );
  for (const value of returns) assert.ok(Math.abs(value) < 0.1, `return ${value}`);
  // 28 → 31 August: up about 3.4%, not down 75%.
  assert.ok(Math.abs(returns[2] - 0.0339) < 0.001, `split-day return ${returns[2]}`);
  // Chart JSON's close is split-adjusted as well (dividends aside), so it agrees.
  assert.ok(Math.abs(rows[3].close / rows[2].close - 1 - returns[2]) < 0.001);
});

Deno.test("yahoo: payloads that are not a usable chart throw PayloadError", async () => {
  const cases: [string, RegExp][] = [
    [
      "yahoo_not_found.json",
      /^yahoo: chart error: Not Found: No data found, symbol may be delisted$/,
    ],
    ["yahoo_missing_quote.json", /^yahoo: indicators\.quote\[0\] is missing$/],
    ["yahoo_truncated.txt", /^yahoo: not valid JSON \(truncated\?\)/],
    [
      "html_error.html",
      /^yahoo: got an HTML page \("Service Unavailable - Please try again later"\) instead of data$/,
    ],
  ];
  for (const [name, message] of cases) {
    const parse = async () => parseYahooChart(await payload(name), aapl);
    await assert.rejects(
      parse,
      (error) => error instanceof PayloadError && message.test(error.message),
      name,
    );
  }
});

Deno.test("yahoo: without the exchange's time zone bars can't be dated", async () => {
  const chart = JSON.parse(new TextDecoder().decode(await fixture("yahoo_aapl.json")));
  delete chart.chart.result[0].meta.exchangeTimezoneName;
  const broken = {
    ...await payload("yahoo_aapl.json"),
    body: new TextEncoder().encode(JSON.stringify(chart)),
  };
  assert.throws(
    () => parseYahooChart(broken, aapl),
    /^PayloadError: yahoo: meta\.exchangeTimezoneName is missing or unknown: undefined$/,
  );
});

Deno.test("yahoo: an empty range has no timestamps and gives no bars", () => {
  const body = JSON.stringify({
    chart: {
      result: [{ meta: { exchangeTimezoneName: "America/New_York" }, indicators: { quote: [{}] } }],
      error: null,
    },
  });
  const result = parseYahooChart(
    {
      source: "yahoo",
      url: "x",
      contentType: null,
      body: new TextEncoder().encode(body),
      fetchedAt: new Date(),
    },
    aapl,
  );
  assert.deepEqual(result, { rows: [], rejected: [] });
});

Deno.test("yahoo: fetch asks for the range, survives a 429, and returns the payload", async () => {
  const body = await fixture("yahoo_aapl.json");
  const seen: string[] = [];
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    seen.push(req.url);
    if (seen.length === 1) {
      return new Response("Too Many Requests", { status: 429, headers: { "Retry-After": "1" } });
    }
    return new Response(body, { headers: { "Content-Type": "application/json;charset=utf-8" } });
  });
  const waits: number[] = [];
  const now = Date.parse("2024-01-09T00:00:00Z");
  const source = new YahooSource({
    cache: new MemoryCache(),
    baseUrl: `http://127.0.0.1:${server.addr.port}/`,
    deps: { sleep: (ms) => (waits.push(ms), Promise.resolve()), now: () => now },
  });
  const fetched = await source.fetch({ stock: aapl, from: "2024-01-02", to: "2024-01-08" });
  const expected = `http://127.0.0.1:${server.addr.port}/v8/finance/chart/AAPL` +
    "?period1=1704067200&period2=1704844800&interval=1d&events=split,div";
  assert.deepEqual(seen, [expected, expected]);
  assert.deepEqual(waits, [1_000]);
  assert.equal(fetched.source, "yahoo");
  assert.equal(fetched.url, expected);
  assert.equal(fetched.contentType, "application/json;charset=utf-8");
  assert.equal(fetched.fetchedAt.getTime(), now);
  assert.equal(source.parse(fetched, aapl).rows.length, 5);
});

Deno.test("yahoo: a 404 for an unknown symbol is a FetchError after one request", async () => {
  const body = await fixture("yahoo_not_found.json");
  let requests = 0;
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
    requests++;
    return new Response(body, { status: 404 });
  });
  const source = new YahooSource({
    cache: new MemoryCache(),
    baseUrl: `http://127.0.0.1:${server.addr.port}`,
    deps: { sleep: () => Promise.resolve() },
  });
  await assert.rejects(
    source.fetch({ stock: { ...aapl, symbol: "NOPE" } }),
    (error) =>
      error instanceof FetchError && error.status === 404 && /No data found/.test(error.message),
  );
  assert.equal(requests, 1);
});
