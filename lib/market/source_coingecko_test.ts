import assert from "node:assert/strict";
import { testStock } from "../../tests/support/fixtures.ts";
import { MemoryCache } from "../cache/memory.ts";
import { type FetchedPayload, PayloadError } from "../net/fetched.ts";
import { CoinGeckoSource, parseCoinGeckoChart } from "./source_coingecko.ts";

const btc = testStock("BTC-USD", "Bitcoin", { id: 2, assetClass: "crypto", aliases: ["bitcoin"] });

const fixture = (name: string) => Deno.readFile(new URL(`./fixtures/${name}`, import.meta.url));

// Fetched two minutes after the fixture's last, live point.
const FETCHED_AT = "2024-01-06T14:25:00Z";

async function payload(name: string): Promise<FetchedPayload> {
  return {
    source: "coingecko",
    url: "https://api.coingecko.com/api/v3/coins/bitcoin/market_chart",
    contentType: "application/json",
    body: await fixture(name),
    fetchedAt: new Date(FETCHED_AT),
  };
}

Deno.test("coingecko: each midnight price closes the UTC day before it", async () => {
  const { rows, rejected } = parseCoinGeckoChart(await payload("coingecko_btc.json"), btc);
  assert.deepEqual(rows.map((row) => [row.date, row.close]), [
    ["2023-12-31", 42280.23],
    ["2024-01-01", 44187.14],
    ["2024-01-02", 44961.6],
    ["2024-01-03", 42821.56],
    ["2024-01-04", 44195.58],
    ["2024-01-05", 44166.6],
  ]);
  // market_chart has no OHLC: one price per day stands for all four.
  assert.deepEqual(rows[5], {
    date: "2024-01-05",
    open: 44166.6,
    high: 44166.6,
    low: 44166.6,
    close: 44166.6,
    adjClose: null,
    volume: 26543198723.1,
  });
  // The last point is the price at fetch time, not a close.
  assert.deepEqual(rejected, [{
    at: 7,
    reason: "2024-01-06T14:23:11.000Z is intraday, not a day's close",
  }]);
});

Deno.test("coingecko: bad points are rejected one by one", async () => {
  const { rows, rejected } = parseCoinGeckoChart(await payload("coingecko_bad_points.json"), btc);
  assert.deepEqual(rows.map((row) => row.date), ["2023-12-31", "2024-01-01", "2024-01-05"]);
  assert.deepEqual(rejected, [
    { at: 3, reason: "missing price (null)" },
    { at: 4, reason: "open -1 is not positive" },
    { at: 5, reason: 'entry "1704412800000,44195.58" is not [time, price]' },
    { at: 7, reason: "2024-01-06T14:23:11.000Z is intraday, not a day's close" },
  ]);
});

Deno.test("coingecko: errors, missing prices, truncation and HTML throw PayloadError", async () => {
  const cases: [string, RegExp][] = [
    ["coingecko_not_found.json", /^coingecko: error: coin not found$/],
    ["coingecko_missing_prices.json", /^coingecko: no `prices` array$/],
    ["coingecko_truncated.txt", /^coingecko: not valid JSON \(truncated\?\)/],
    ["html_error.html", /^coingecko: got an HTML page/],
  ];
  for (const [name, message] of cases) {
    const broken = await payload(name);
    assert.throws(
      () => parseCoinGeckoChart(broken, btc),
      (error) => error instanceof PayloadError && message.test(error.message),
      name,
    );
  }
  const throttled = {
    ...(await payload("coingecko_btc.json")),
    body: new TextEncoder().encode(
      '{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit."}}',
    ),
  };
  assert.throws(() => parseCoinGeckoChart(throttled, btc), /coingecko: error 429: You've exceeded/);
});

Deno.test("coingecko: a midnight point not yet reached at fetch time is refused", async () => {
  // A payload dated before its own last midnight point (a clock skew between us and the API).
  const early = {
    ...(await payload("coingecko_btc.json")),
    fetchedAt: new Date("2024-01-05T23:59:00Z"),
  };
  const { rows, rejected } = parseCoinGeckoChart(early, btc);
  assert.equal(rows.at(-1)?.date, "2024-01-04");
  assert.deepEqual(rejected[0], {
    at: 6,
    reason: "2024-01-05 had not closed when fetched (closes 2024-01-06T00:00:00.000Z)",
  });
});

Deno.test("coingecko: points stamped a little off midnight still close the day before", () => {
  const body = JSON.stringify({
    prices: [[Date.parse("2024-01-02T00:03:00Z"), 44187.14], [
      Date.parse("2024-01-02T23:58:30Z"),
      44961.6,
    ]],
  });
  const result = parseCoinGeckoChart({
    source: "coingecko",
    url: "x",
    contentType: null,
    body: new TextEncoder().encode(body),
    fetchedAt: new Date("2024-01-04T00:00:00Z"),
  }, btc);
  assert.deepEqual(result.rows.map((row) => row.date), ["2024-01-01", "2024-01-02"]);
});

Deno.test("coingecko: only crypto pairs in the coin table are supported", () => {
  const source = new CoinGeckoSource({ cache: new MemoryCache() });
  assert.equal(source.supports(btc), true);
  assert.equal(source.supports({ ...btc, symbol: "ETH-USD" }), true);
  assert.equal(source.supports({ ...btc, symbol: "DOGE-USD" }), false);
  assert.equal(source.supports({ ...btc, assetClass: "equity" }), false);
  assert.equal(source.supports({ ...btc, symbol: "AAPL", assetClass: "equity" }), false);
});

Deno.test("coingecko: fetch asks for enough days, waits out a 429 and the rate limit", async () => {
  const body = await fixture("coingecko_btc.json");
  const seen: { url: string; key: string | null }[] = [];
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    seen.push({ url: req.url, key: req.headers.get("x-cg-demo-api-key") });
    return seen.length === 1
      ? Response.json({ status: { error_code: 429 } }, {
        status: 429,
        headers: { "Retry-After": "2" },
      })
      : new Response(body, { headers: { "Content-Type": "application/json; charset=utf-8" } });
  });
  let now = Date.parse(FETCHED_AT);
  const waits: number[] = [];
  const source = new CoinGeckoSource({
    cache: new MemoryCache({ now: () => now }),
    baseUrl: `http://127.0.0.1:${server.addr.port}`,
    apiKey: "CG-test-key",
    deps: {
      sleep: (ms) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
      now: () => now,
    },
  });
  const fetched = await source.fetch({ stock: btc, from: "2024-01-01" });
  const expected = `http://127.0.0.1:${server.addr.port}/api/v3/coins/bitcoin/market_chart` +
    "?vs_currency=usd&days=7&interval=daily";
  assert.deepEqual(seen, [
    { url: expected, key: "CG-test-key" },
    { url: expected, key: "CG-test-key" },
  ]);
  // Retry-After, then the rest of the six seconds the one-call bucket takes to refill.
  assert.equal(waits[0], 2_000);
  assert.equal(waits.length, 2);
  assert.ok(Math.abs(waits[1] - 4_000) <= 1, `rate-limit wait ${waits[1]}`);
  assert.equal(fetched.url, expected);
  assert.equal(fetched.fetchedAt.getTime(), now);
  assert.equal(source.parse(fetched, btc).rows.length, 6);
});

Deno.test("coingecko: fetching an unsupported symbol is refused before any request", async () => {
  const source = new CoinGeckoSource({ cache: new MemoryCache(), baseUrl: "http://127.0.0.1:9" });
  await assert.rejects(source.fetch({ stock: { ...btc, symbol: "DOGE-USD" } }), RangeError);
});
