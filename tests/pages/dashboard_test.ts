// The app's own pages (routes/, islands/) through the real manifest, against a real (throwaway)
// database: the dashboard's counts, empty state, adapter badges, signals, leaderboard summary,
// market overview and live list, its JavaScript budget, and the error pages.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import manifest from "../../fresh.gen.ts";
import { loadConfig } from "../../lib/config.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import type { Direction } from "../../lib/predict/types.ts";
import { initialState } from "../../lib/state.ts";
import { upsertStocks } from "../../lib/stocks/store.ts";
import { openTestContext } from "../support/context.ts";
import { openTestDatabase } from "../support/database.ts";
import { addTestSnapshots, testSummary } from "../support/evaluations.ts";
import { testBar } from "../support/fixtures.ts";
import { withPages } from "../support/pages.ts";
import { addTestModels, addTestPredictions } from "../support/predictions.ts";

/** The HTML of the section headed by `titleId`. */
function section(html: string, titleId: string): string {
  const start = html.lastIndexOf("<section", html.indexOf(`id="${titleId}"`));
  assert.ok(start !== -1, titleId);
  return html.slice(start, html.indexOf("</section>", start));
}

Deno.test("dashboard: empty database shows how to load data and the offline badges", async () => {
  await using db = await openTestDatabase();
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/");
    assert.equal(status, 200);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<link rel="stylesheet" href="\/static\/styles.css"\/>/);
    assert.match(html, /<a href="\/" aria-current="page">Dashboard<\/a>/);
    assert.match(html, /No data yet/);
    assert.match(html, /<code>deno task import prices FILE<\/code>/);
    assert.match(html, /<code>deno task job crawl<\/code>/);
    assert.doesNotMatch(html, /deno task migrate/);
    const databaseBadge = db.kind === "embedded" ? /embedded database \(PGlite\)/ : /PostgreSQL/;
    assert.match(html, databaseBadge);
    assert.match(html, /in-process cache/);
    assert.match(html, /offline models — no OpenAI key/);
    assert.match(html, /<craveny-island data-island="ThemeToggle"/);
  });
});

Deno.test("dashboard: shows the counts once there is data; OpenAI badge with a key", async () => {
  await using db = await openTestDatabase();
  const [apple] = await upsertStocks(db.sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
  ]);
  // Stocks alone (the default universe exists from the first start) are not market data yet.
  await withPages({ db }, async (get) => {
    assert.match((await get("/")).html, /No data yet/);
  });
  const bar = { date: "2024-03-08", open: 1, high: 1, low: 1, close: 1, adjClose: 1, volume: 1 };
  await upsertPriceBars(db.sql, apple, [bar], "test");
  await withPages(
    { db, config: loadConfig({ OPENAI_API_KEY: "sk-test-0123456789abcdefghij" }) },
    async (get) => {
      const { html } = await get("/");
      assert.doesNotMatch(html, /No data yet/);
      assert.match(html, /<dt>Stocks<\/dt><dd>1<\/dd>/);
      assert.match(html, /<dt>Daily price bars<\/dt><dd>1<\/dd>/);
      assert.match(html, /<dt>Predictions<\/dt><dd>0<\/dd>/);
      assert.match(html, /OpenAI models/);
      assert.doesNotMatch(html, /offline models/);
    },
  );
});

Deno.test("dashboard: tables missing → tells how to migrate instead of failing", async () => {
  await using db = await openTestDatabase({ migrate: false });
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/");
    assert.equal(status, 200);
    assert.match(html, /<code>deno task migrate<\/code>/);
  });
});

Deno.test("app error pages: 404 and 500 inside the layout, no details leaked", async () => {
  await using db = await openTestDatabase();
  await withPages({ db }, async (get) => {
    const missing = await get("/no/such/page");
    assert.equal(missing.status, 404);
    assert.match(missing.html, /Page not found/);
    assert.match(missing.html, /<code>\/no\/such\/page<\/code>/);
    assert.match(missing.html, /<header class="site-header">/);
  });
  // A closed database makes the dashboard fail unexpectedly.
  await db.close();
  await withPages({ db }, async (get) => {
    const failed = await get("/");
    assert.equal(failed.status, 500);
    assert.match(failed.html, /Something went wrong/);
    assert.doesNotMatch(failed.html, /CONNECTION_|postgres|\.ts:\d/i);
  });
});

/** Two days of bars each: AAPL and SPY up, MSFT down, on 2024-03-08. */
async function seedMarket(sql: Sql) {
  const stocks = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
    { symbol: "SPY", exchange: "NYSE Arca", name: "SPDR S&P 500 ETF Trust" },
  ]);
  const closes: Record<string, [number, number]> = {
    AAPL: [100, 102],
    MSFT: [200, 196],
    SPY: [500, 505],
  };
  for (const stock of stocks) {
    const [before, after] = closes[stock.symbol];
    await upsertPriceBars(sql, stock, [
      testBar("2024-03-07", before),
      testBar("2024-03-08", after),
    ], "test");
  }
}

const trustworthy = testSummary({
  n: 400,
  wins: 230,
  losses: 170,
  winRate: { value: 0.575, low: 0.526, high: 0.622 },
  meanStrategyReturn: 0.0021,
  excessVsBuyAndHold: 0.0009,
});
const chance = testSummary({
  n: 400,
  wins: 204,
  losses: 196,
  winRate: { value: 0.51, low: 0.461, high: 0.559 },
  meanStrategyReturn: 0.0004,
});

Deno.test("dashboard: trusted models' strongest calls, the leaderboard, the market, live list", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  await seedMarket(sql);
  await addTestModels(sql, [{ name: "momentum" }, { name: "always-up" }]);
  await addTestSnapshots(sql, [
    { model: "momentum", mode: "replay", metrics: trustworthy },
    { model: "always-up", mode: "replay", metrics: chance },
  ]);
  const call = (model: string, symbol: string, direction: Direction, confidence: number) => ({
    model,
    symbol,
    asOf: "2024-03-08T21:00:00Z",
    direction,
    confidence,
  });
  const ids = await addTestPredictions(sql, [
    { ...call("momentum", "AAPL", "up", 0.64), asOf: "2024-03-06T21:00:00Z" }, // an older day
    call("momentum", "MSFT", "down", 0.7),
    call("momentum", "AAPL", "up", 0.8),
    call("momentum", "SPY", "flat", 0.95), // no trade
    call("always-up", "MSFT", "up", 0.99), // not trusted
    { ...call("momentum", "MSFT", "up", 0.97), horizon: 1, mode: "replay" }, // history
  ]);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/");
    assert.equal(status, 200);

    const signals = section(html, "signals-title");
    assert.match(signals, /A model has earned trust when/);
    const rows = [...signals.matchAll(/<tr><td><a href="\/stocks\/(\w+)">.*?<\/tr>/g)];
    assert.deepEqual(rows.map((row) => row[1]), ["AAPL", "MSFT"], "most confident first");
    assert.match(rows[0][0], /▲<\/span> up.*80%.*5 trading days.*momentum/);
    assert.match(rows[1][0], /▼<\/span> down.*70%/);

    const leaders = section(html, "leaders-title");
    assert.match(leaders, /Replayed clean predictions, all time, ranked by win rate\./);
    assert.match(
      leaders,
      /<td class="number">1<\/td><th scope="row"><a href="\/models\/\d+\?mode=replay">momentum<\/a> <span class="badge badge-live">trusted<\/span>/,
    );
    assert.match(leaders, /<a href="\/models\/\d+\?mode=replay">always-up<\/a><\/th>/);
    assert.match(leaders, /57% \(53–62%\)/);
    assert.match(leaders, /<a href="\/models\?mode=replay">The full leaderboard<\/a>/);

    const market = section(html, "market-title");
    assert.match(market, /Market on 2024-03-08/);
    assert.match(market, /<dt>SPY \(index ETF\)<\/dt><dd>505\.00 <span class="change-up">/);
    assert.match(market, /<dt>Stocks up<\/dt><dd>1<\/dd>/);
    assert.match(market, /<dt>Stocks down<\/dt><dd>1<\/dd>/);
    assert.match(market, /Biggest gains.*AAPL/);
    assert.match(market, /Biggest falls.*MSFT/);

    // The live list: server-rendered newest live predictions, then kept current by its island.
    assert.match(html, /<craveny-island data-island="LiveSignals"/);
    const live = section(html, "live-title");
    assert.match(live, /Reload the page to see newer ones/);
    assert.equal([...live.matchAll(/<li/g)].length, 5, "live predictions only");
    assert.match(live, /always-up · as of/, "untrusted models are listed, unmarked");
    const payload = JSON.parse(html.match(/id="__craveny_islands">(.*?)<\/script>/)?.[1] ?? "{}");
    const props = payload.props.find((p: { after?: number }) => p.after !== undefined);
    assert.equal(props.after, ids.at(-1), "the stream starts after the last stored id");
    assert.deepEqual(props.trusted, ["momentum"]);
    assert.equal(props.signals.length, 5);
  });
});

Deno.test("dashboard: no trusted model → says so instead of highlighting calls", async () => {
  await using db = await openTestDatabase();
  await seedMarket(db.sql);
  await addTestModels(db.sql, [{ name: "always-up" }]);
  await addTestSnapshots(db.sql, [{ model: "always-up", mode: "replay", metrics: chance }]);
  await withPages({ db }, async (get) => {
    const signals = section((await get("/")).html, "signals-title");
    assert.match(signals, /No model has earned trust yet/);
    assert.doesNotMatch(signals, /<table/);
  });
});

Deno.test("dashboard: ships at most 30 KB of gzipped JavaScript, and no chart code", async () => {
  await using db = await openTestDatabase();
  await seedMarket(db.sql);
  const log = createLogger("error", () => {});
  await using app = await openTestContext({ db, log });
  const fresh = await createFreshHandler(manifest, { log });
  try {
    const html = await (await fresh.handle(
      new Request("http://localhost/"),
      initialState(app, "t", "127.0.0.1"),
    )).text();
    const bytes = await fresh.pageScriptBytes(html);
    assert.ok(bytes > 0 && bytes <= 30 * 1024, `${bytes} bytes`);
    assert.doesNotMatch(html, /InteractiveChart/);
  } finally {
    await fresh.close();
  }
});
