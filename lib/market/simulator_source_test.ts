import assert from "node:assert/strict";
import { testStock } from "../../tests/support/fixtures.ts";
import { loadConfig } from "../config.ts";
import { type FetchedPayload, PayloadError } from "../net/fetched.ts";
import type { Stock } from "../stocks/stock.ts";
import { simulateBars, simulateHeadlines } from "./simulator.ts";
import {
  createSimulatorMarketSource,
  parseSimulatedNews,
  simulatedNewsPayload,
} from "./simulator_source.ts";
import { barClosedAt } from "./trading_time.ts";

const AAPL = testStock("AAPL", "Apple Inc.");
const BTC = testStock("BTC-USD", "Bitcoin", { assetClass: "crypto" });
const UNIVERSE = [
  AAPL,
  testStock("JPM", "JPMorgan Chase & Co."),
  testStock("SPY", "SPDR S&P 500 ETF Trust"),
  BTC,
];
const config = (seed = 42, start = "2024-01-02") =>
  loadConfig({ SIMULATOR_SEED: String(seed), SIMULATOR_START: start });
const at = (iso: string) => () => new Date(iso);
const decode = (payload: FetchedPayload) => new TextDecoder().decode(payload.body);

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(bytes));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function payload(body: string): FetchedPayload {
  return {
    source: "simulator",
    url: "simulator://test",
    contentType: "application/json",
    body: new TextEncoder().encode(body),
    fetchedAt: new Date("2024-07-10T00:00:00Z"),
  };
}

Deno.test("price payloads are byte-identical for one seed and differ between seeds", async () => {
  const now = at("2024-07-10T22:00:00Z");
  const request = { stock: AAPL, from: "2024-01-02", to: "2024-06-28" };
  const first = await createSimulatorMarketSource(config(), now).fetch(request);
  const again = await createSimulatorMarketSource(config(), now).fetch(request);
  const other = await createSimulatorMarketSource(config(43), now).fetch(request);
  assert.equal(await sha256(first.body), await sha256(again.body));
  assert.equal(first.url, "simulator://prices/AAPL?from=2024-01-02&to=2024-06-28");
  assert.equal(first.source, "simulator");
  assert.equal(first.contentType, "application/json");
  assert.equal(first.fetchedAt.toISOString(), "2024-07-10T22:00:00.000Z");
  const bars = (fetched: FetchedPayload) => JSON.stringify(JSON.parse(decode(fetched)).bars);
  assert.notEqual(bars(first), bars(other));
});

Deno.test("parse returns exactly the simulated bars", async () => {
  const source = createSimulatorMarketSource(config(), at("2024-07-10T22:00:00Z"));
  const fetched = await source.fetch({ stock: AAPL });
  const { rows, rejected } = source.parse(fetched, AAPL);
  assert.deepEqual(rejected, []);
  // Defaults: from config.simulator.start up to today's closed bar.
  assert.deepEqual(rows, simulateBars(42, AAPL, "2024-01-02", "2024-07-10"));
  assert.equal(rows.at(-1)?.date, "2024-07-10");
  assert.equal(source.name, "simulator");
  assert.equal(source.supports(BTC), true);
});

Deno.test("no future bars: the range stops at today, and today's bar only after the close", async () => {
  const fetchAt = async (iso: string, s: Stock, to?: string) => {
    const source = createSimulatorMarketSource(config(), at(iso));
    const fetched = await source.fetch({ stock: s, from: "2024-07-01", to });
    return { url: fetched.url, dates: source.parse(fetched, s).rows.map((bar) => bar.date) };
  };
  // 11:00 in New York on Friday 5 July: the 4th was a holiday, the 5th hasn't closed.
  const morning = await fetchAt("2024-07-05T15:00:00Z", AAPL, "2025-01-01");
  assert.deepEqual(morning.dates, ["2024-07-01", "2024-07-02", "2024-07-03"]);
  assert.equal(morning.url, "simulator://prices/AAPL?from=2024-07-01&to=2024-07-05");
  const evening = await fetchAt("2024-07-05T20:00:00Z", AAPL);
  assert.equal(evening.dates.at(-1), "2024-07-05");
  // Late evening in New York is already the next UTC day; the New York date still rules.
  assert.equal((await fetchAt("2024-07-06T02:00:00Z", AAPL)).url.endsWith("to=2024-07-05"), true);
  // Crypto: the UTC day closes at midnight.
  const crypto = await fetchAt("2024-07-05T12:00:00Z", BTC);
  assert.equal(crypto.dates.at(-1), "2024-07-04");
  for (const iso of ["2024-07-05T15:00:00Z", "2024-07-05T20:00:00Z", "2024-07-05T12:00:00Z"]) {
    for (const s of [AAPL, BTC]) {
      for (const date of (await fetchAt(iso, s)).dates) {
        assert.ok(
          barClosedAt(date, s.assetClass) <= new Date(iso),
          `${s.symbol} ${date} at ${iso}`,
        );
      }
    }
  }
  assert.deepEqual((await fetchAt("2024-06-01T00:00:00Z", AAPL)).dates, []);
});

Deno.test("extending the range keeps every earlier bar identical", async () => {
  const source = createSimulatorMarketSource(config(), at("2024-12-31T23:00:00Z"));
  const rows = async (to: string) =>
    source.parse(await source.fetch({ stock: AAPL, from: "2024-01-02", to }), AAPL).rows;
  const short = await rows("2024-03-28");
  const long = await rows("2024-12-31");
  assert.deepEqual(long.slice(0, short.length), short);
});

Deno.test("fetch refuses bad dates and an aborted signal", async () => {
  const source = createSimulatorMarketSource(config(), at("2024-07-10T22:00:00Z"));
  await assert.rejects(source.fetch({ stock: AAPL, from: "2024/01/02" }), RangeError);
  await assert.rejects(source.fetch({ stock: AAPL, to: "soon" }), RangeError);
  await assert.rejects(source.fetch({ stock: AAPL, to: "2024-02-30" }), RangeError);
  assert.throws(() => simulatedNewsPayload(config(), [AAPL], "2024-01-02", "later"), RangeError);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(source.fetch({ stock: AAPL }, controller.signal));
});

Deno.test("parse rejects bad bars one by one and refuses payloads of another shape", () => {
  const source = createSimulatorMarketSource(config());
  const good = {
    date: "2024-01-02",
    open: 10,
    high: 11,
    low: 9,
    close: 10.5,
    adjClose: 10.5,
    volume: 5,
  };
  const body = JSON.stringify({
    symbol: "AAPL",
    bars: [
      { ...good, date: "2024-01-03", high: 10.2 },
      { ...good, date: "2024-1-04" },
      { ...good, date: "2024-01-05", low: -1 },
      { ...good, date: "2024-01-08", volume: -3 },
      { ...good, date: "2024-01-09", adjClose: null, volume: null },
      { ...good, date: "2024-01-10", close: "10" },
      { ...good, date: "2024-07-10" }, // closes after the payload was fetched
      good,
      "nonsense",
    ],
  });
  const { rows, rejected } = source.parse(payload(body), AAPL);
  assert.deepEqual(rows.map((bar) => bar.date), ["2024-01-02", "2024-01-09"]);
  assert.deepEqual(rejected.map((rejection) => rejection.at), [1, 2, 3, 4, 6, 7, 9]);
  assert.match(rejected[0].reason, /outside/);
  assert.match(rejected[5].reason, /not closed/);
  assert.throws(() => source.parse(payload("<html>"), AAPL), PayloadError);
  assert.throws(() => source.parse(payload('{"symbol":"AAPL"}'), AAPL), PayloadError);
  assert.throws(() => source.parse(payload('{"symbol":"MSFT","bars":[]}'), AAPL), /not AAPL/);
});

Deno.test("news payloads are deterministic, point-in-time, and parse back to the entries", async () => {
  const now = at("2024-03-14T12:00:00Z");
  const fetched = simulatedNewsPayload(config(), UNIVERSE, "2024-01-02", "2024-12-31", now);
  const again = simulatedNewsPayload(
    config(),
    [...UNIVERSE].reverse(),
    "2024-01-02",
    undefined,
    now,
  );
  assert.equal(await sha256(fetched.body), await sha256(again.body));
  assert.equal(fetched.url, again.url);
  assert.equal(
    fetched.url,
    "simulator://news?from=2024-01-02&to=2024-03-14&symbols=AAPL,BTC-USD,JPM,SPY",
  );
  assert.equal(fetched.fetchedAt.toISOString(), "2024-03-14T12:00:00.000Z");
  const { rows, rejected } = parseSimulatedNews(fetched);
  assert.deepEqual(rejected, []);
  assert.ok(rows.length > 30, `${rows.length} entries`);
  assert.ok(rows.every((entry) => entry.publishedAt !== null && entry.publishedAt <= now()));
  const expected = simulateHeadlines(42, UNIVERSE, "2024-01-02", "2024-03-14")
    .map((headline) => headline.entry)
    .filter((entry) => entry.publishedAt !== null && entry.publishedAt <= now());
  assert.deepEqual(rows, expected);
  // 08:00 in New York: the day's earliest headlines are out, later ones are not.
  assert.ok(expected.length < simulateHeadlines(42, UNIVERSE, "2024-01-02", "2024-03-14").length);
  // The tone is the simulator's secret: a model has to read the words.
  assert.doesNotMatch(decode(fetched), /"tone"/);
  const otherSeed = simulatedNewsPayload(config(43), UNIVERSE, "2024-01-02", "2024-03-14", now);
  assert.notEqual(decode(otherSeed), decode(fetched));
  // Default range: config.simulator.start to today.
  const defaults = simulatedNewsPayload(
    config(42, "2024-03-01"),
    UNIVERSE,
    undefined,
    undefined,
    now,
  );
  assert.ok(defaults.url.includes("from=2024-03-01&to=2024-03-14"));
});

Deno.test("news parsing rejects bad entries and refuses other payloads", () => {
  const good = {
    url: "https://simulator.craveny.invalid/news/aapl-2024-01-02",
    title: "Apple (AAPL) names new chief financial officer",
    summary: null,
    publishedAt: "2024-01-02T12:00:00.000Z",
    source: "Craveny Simulator",
    language: "en",
    symbols: ["AAPL"],
  };
  const { rows, rejected } = parseSimulatedNews(payload(JSON.stringify({
    entries: [
      good,
      { ...good, url: "ftp://x" },
      { ...good, title: " " },
      { ...good, publishedAt: "yesterday" },
      { ...good, symbols: [1] },
      7,
    ],
  })));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].publishedAt?.toISOString(), good.publishedAt);
  assert.deepEqual(rejected.map((rejection) => rejection.at), [2, 3, 4, 5, 6]);
  assert.throws(() => parseSimulatedNews(payload("not json")), PayloadError);
  assert.throws(() => parseSimulatedNews(payload("[]")), PayloadError);
});
