import assert from "node:assert/strict";
import { AAPL } from "../../tests/support/fixtures.ts";
import { MemoryCache } from "../cache/memory.ts";
import { type FetchedPayload, PayloadError } from "../net/fetched.ts";
import { parseStooqCsv, StooqSource, stooqSymbol } from "./source_stooq.ts";

const fixture = (name: string) => Deno.readFile(new URL(`./fixtures/${name}`, import.meta.url));

async function payload(name: string, fetchedAt = "2024-01-11T00:00:00Z"): Promise<FetchedPayload> {
  return {
    source: "stooq",
    url: "https://stooq.com/q/d/l/?s=aapl.us&i=d",
    contentType: "text/csv",
    body: await fixture(name),
    fetchedAt: new Date(fetchedAt),
  };
}

Deno.test("stooq: a good CSV (CRLF line ends) gives daily bars without adjusted close", async () => {
  const { rows, rejected } = parseStooqCsv(await payload("stooq_aapl.csv"), AAPL);
  assert.deepEqual(rejected, []);
  assert.equal(rows.length, 5);
  assert.deepEqual(rows[0], {
    date: "2024-01-02",
    open: 186.44,
    high: 187.728,
    low: 183.195,
    close: 184.938,
    adjClose: null,
    volume: 82796906,
  });
  assert.equal(rows[4].date, "2024-01-08");
});

Deno.test("stooq: bad rows are rejected with their line numbers", async () => {
  const { rows, rejected } = parseStooqCsv(await payload("stooq_bad_rows.csv"), AAPL);
  assert.deepEqual(rows.map((row) => [row.date, row.volume]), [
    ["2024-01-02", 82796906],
    ["2024-01-09", null],
  ]);
  assert.deepEqual(rejected, [
    { at: 3, reason: 'close "n/a" is not a number' },
    { at: 4, reason: "expected 6 fields, got 4" },
    { at: 5, reason: 'date "01/05/2024" is not YYYY-MM-DD' },
    { at: 7, reason: "high 180.814 is below low 184.898" },
    { at: 9, reason: "open -184.1 is not positive" },
  ]);
});

Deno.test("stooq: 'No data', the hits limit, HTML and foreign CSVs throw PayloadError", async () => {
  const cases: [string | Uint8Array, RegExp][] = [
    ["stooq_no_data.csv", /^stooq: No data: unknown symbol or no bars in the range$/],
    ["stooq_limit.csv", /^stooq: daily download limit exceeded$/],
    ["html_error.html", /^stooq: got an HTML page \("Service Unavailable/],
    [
      new TextEncoder().encode("Symbol,Date,Time,Price\nAAPL.US,2024-01-02,22:00,185.64\n"),
      /^stooq: not a daily price CSV: header "Symbol,Date,Time,Price" lacks open, high, low, close$/,
    ],
  ];
  const good = await payload("stooq_aapl.csv");
  for (const [source, message] of cases) {
    const body = typeof source === "string" ? await fixture(source) : source;
    assert.throws(
      () => parseStooqCsv({ ...good, body }, AAPL),
      (error) => error instanceof PayloadError && message.test(error.message),
    );
  }
});

Deno.test("stooq: only plain US tickers in USD are supported", () => {
  const source = new StooqSource({ cache: new MemoryCache() });
  assert.equal(source.supports(AAPL), true);
  assert.equal(source.supports({ ...AAPL, symbol: "BRK-B" }), true);
  assert.equal(source.supports({ ...AAPL, symbol: "005930.KS", currency: "KRW" }), false);
  assert.equal(source.supports({ ...AAPL, symbol: "^GSPC" }), false);
  assert.equal(source.supports({ ...AAPL, symbol: "BTC-USD", assetClass: "crypto" }), false);
  assert.equal(stooqSymbol("BRK.B"), "brk-b.us");
});

Deno.test("stooq: fetch sends the range, waits out a 429, returns the CSV payload", async () => {
  const body = await fixture("stooq_aapl.csv");
  const seen: string[] = [];
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    seen.push(req.url);
    return seen.length === 1
      ? new Response("busy", { status: 429 })
      : new Response(body, { headers: { "Content-Type": "text/csv" } });
  });
  // One clock for the cache's token bucket and the injected sleep.
  let now = Date.parse("2024-01-11T00:00:00Z");
  const waits: number[] = [];
  const source = new StooqSource({
    cache: new MemoryCache({ now: () => now }),
    baseUrl: `http://127.0.0.1:${server.addr.port}`,
    deps: {
      sleep: (ms) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
      random: () => 0.5,
      now: () => now,
    },
  });
  const fetched = await source.fetch({ stock: AAPL, from: "2024-01-02", to: "2024-01-08" });
  const expected =
    `http://127.0.0.1:${server.addr.port}/q/d/l/?s=aapl.us&i=d&d1=20240102&d2=20240108`;
  assert.deepEqual(seen, [expected, expected]);
  // The 429 had no Retry-After: half the first backoff ceiling (1 s) with the injected jitter;
  // then the rest of the two seconds Stooq's one-request bucket needs to refill.
  assert.deepEqual(waits, [500, 1_500]);
  assert.equal(fetched.url, expected);
  assert.equal(source.parse(fetched, AAPL).rows.length, 5);
});
