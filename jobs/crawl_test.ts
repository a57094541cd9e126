// The crawl job end to end on a real database and a real raw archive: the simulator's prices and
// headlines, a failing source next to working ones (loopback servers), re-parsing the archive,
// and stopping mid-crawl.
import assert from "node:assert/strict";
import { join } from "node:path";
import { archiveKey } from "../lib/archive/content_address.ts";
import { archiveDirOf } from "../lib/archive/raw_archive.ts";
import type { RateLimitRule } from "../lib/cache/port.ts";
import { loadConfig } from "../lib/config.ts";
import type { AppContext } from "../lib/context.ts";
import type { Database } from "../lib/db/port.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { recentRuns } from "../lib/jobs/store.ts";
import { createLogger } from "../lib/log.ts";
import type { MarketSource } from "../lib/market/port.ts";
import { simulateBars } from "../lib/market/simulator.ts";
import { createSimulatorMarketSource } from "../lib/market/simulator_source.ts";
import { YahooSource } from "../lib/market/source_yahoo.ts";
import { barClosedAt } from "../lib/market/trading_time.ts";
import { FeedSource } from "../lib/news/feed_source.ts";
import { addFeed, listFeeds } from "../lib/news/feeds_store.ts";
import type { Stock } from "../lib/stocks/stock.ts";
import { listStocks, setStockActive, upsertStocks } from "../lib/stocks/store.ts";
import { seedDefaultUniverse } from "../lib/stocks/universe.ts";
import { openTestContext, type TestContext } from "../tests/support/context.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { tempDir } from "../tests/support/temp_dir.ts";
import { type CrawlSources, createCrawlJob } from "./crawl.ts";

/** About two months back: some 40 trading days per stock, quick to simulate and store. */
const START = new Date(Date.now() - 61 * 86_400_000).toISOString().slice(0, 10);
const NO_LIMIT: RateLimitRule = { capacity: 10_000, refillPerSecond: 10_000 };
/** Two tries, no waiting: a failing source fails in milliseconds. */
const FAST_RETRY = { attempts: 2, timeoutMs: 5_000, baseDelayMs: 1, maxDelayMs: 1 };
const noSleep = () => Promise.resolve();

function context(db: Database, dataDir: string): Promise<TestContext> {
  return openTestContext({
    config: loadConfig({ SOURCES: "simulator", SIMULATOR_START: START, DATA_DIR: dataDir }),
    db,
    log: createLogger("error", () => {}),
  });
}

async function count(db: Database, table: "price_bar" | "news" | "news_stock"): Promise<number> {
  const [row] = await db.sql<{ count: number }[]>`select count(*)::int as count from ${
    db.sql(table)
  }`;
  return row.count;
}

/** Bars per stock symbol. */
async function barsBySymbol(db: Database): Promise<Map<string, number>> {
  const rows = await db.sql<{ symbol: string; bars: number }[]>`
    select s.symbol, count(*)::int as bars from price_bar p join stock s on s.id = p.stock_id
    group by s.symbol`;
  return new Map(rows.map((row) => [row.symbol, row.bars]));
}

/** What the simulator serves for `stock` from START up to now: the bars that have closed. */
function expectedBars(config: AppContext["config"], stock: Stock) {
  const now = new Date();
  return simulateBars(config.simulator.seed, stock, START, now.toISOString().slice(0, 10))
    .filter((bar) => barClosedAt(bar.date, stock.assetClass) <= now);
}

Deno.test("crawl with the simulator: bars for every active stock, linked headlines, idempotent", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-crawl-");
  await using app = await context(db, dir.path);
  await seedDefaultUniverse(db.sql);
  await setStockActive(db.sql, "KO", false);
  const active = await listStocks(db.sql, { activeOnly: true });
  assert.ok(active.length >= 20);

  const first = await runJob(createCrawlJob(), app);
  assert.equal(first.status, "succeeded", JSON.stringify(first));
  assert.ok(first.status === "succeeded");

  const bars = await barsBySymbol(db);
  for (const stock of active) {
    const expected = expectedBars(app.config, stock);
    assert.ok(expected.length > 20, `${stock.symbol}: the simulator serves bars`);
    assert.equal(bars.get(stock.symbol), expected.length, `${stock.symbol}: every closed bar`);
  }
  assert.equal(bars.has("KO"), false, "inactive stocks are not crawled");
  const totalBars = await count(db, "price_bar");
  assert.equal(first.counts["prices.inserted"], totalBars);

  // One stock bar for bar, as the simulator made it (crypto trades on weekends too).
  const [btc] = active.filter((stock) => stock.symbol === "BTC-USD");
  const stored = await db.sql<{ date: string; close: number; source: string }[]>`
    select date, close, source from price_bar where stock_id = ${btc.id} order by date`;
  assert.deepEqual(
    [...stored],
    expectedBars(app.config, btc).map((bar) => ({
      date: bar.date,
      close: bar.close,
      source: "simulator",
    })),
  );

  const news = await count(db, "news");
  assert.ok(news > 20, `simulated headlines stored (${news})`);
  assert.equal(first.counts["news.inserted"], news);
  const [{ unlinked }] = await db.sql<{ unlinked: number }[]>`
    select count(*)::int as unlinked from news n
    where not exists (select 1 from news_stock ns where ns.news_id = n.id)`;
  assert.equal(unlinked, 0, "every simulated headline is linked to a stock");
  const [{ payloads }] = await db.sql<{ payloads: number }[]>`
    select count(*)::int as payloads from raw_payload where parse_status = 'parsed'`;
  assert.equal(payloads, active.length + 1, "one archived payload per stock, one for the news");

  const links = await count(db, "news_stock");
  const second = await runJob(createCrawlJob(), app);
  assert.equal(second.status, "succeeded", JSON.stringify(second));
  assert.ok(second.status === "succeeded");
  assert.equal(second.counts["prices.inserted"], undefined);
  assert.equal(second.counts["prices.updated"], undefined);
  assert.equal(second.counts["news.inserted"], undefined);
  assert.equal(await count(db, "price_bar"), totalBars);
  assert.equal(await count(db, "news"), news);
  assert.equal(await count(db, "news_stock"), links);

  const runs = await recentRuns(db.sql, "crawl");
  assert.deepEqual(runs.map((run) => run.status), ["succeeded", "succeeded"]);
  assert.deepEqual(runs[1].counts, first.counts);
});

/** A Yahoo-shaped server that is down: 503 to everything. */
function downServer() {
  const paths: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    paths.push(new URL(req.url).pathname);
    return new Response("Service Unavailable", { status: 503 });
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    paths,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

const FEW: Parameters<typeof upsertStocks>[1] = [
  { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc.", aliases: ["Apple"] },
  { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation", aliases: ["Microsoft"] },
  { symbol: "BTC-USD", exchange: "CRYPTO", name: "Bitcoin", assetClass: "crypto" },
];

Deno.test("crawl: a market source that is down falls back to the next one; run is partial", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-crawl-");
  await using yahooServer = downServer();
  await using app = await context(db, dir.path);
  await upsertStocks(db.sql, FEW);
  const yahoo = new YahooSource({
    cache: app.cache,
    baseUrl: yahooServer.base,
    rateLimit: NO_LIMIT,
    retry: FAST_RETRY,
    deps: { sleep: noSleep },
  });
  const sources: CrawlSources = {
    market: [yahoo, createSimulatorMarketSource(app.config)],
    feeds: null,
    simulatedNews: false,
  };

  const outcome = await runJob(createCrawlJob(() => sources), app);
  assert.equal(outcome.status, "partial", JSON.stringify(outcome));
  assert.ok(outcome.status === "partial");
  assert.equal(outcome.problems.length, FEW.length);
  for (const [index, symbol] of ["AAPL", "BTC-USD", "MSFT"].entries()) {
    assert.match(
      outcome.problems[index],
      new RegExp(`^yahoo ${symbol}: GET .*/v8/finance/chart/${symbol}\\?.* 2 attempts: HTTP 503`),
    );
  }
  assert.equal(yahooServer.paths.length, 2 * FEW.length, "each stock tried twice, then given up");

  // Every stock still loaded, from the simulator.
  const bars = await barsBySymbol(db);
  const stocks = await listStocks(db.sql);
  for (const stock of stocks) {
    assert.equal(bars.get(stock.symbol), expectedBars(app.config, stock).length, stock.symbol);
  }
  const loadedFrom = await db.sql<{ source: string }[]>`select distinct source from price_bar`;
  assert.deepEqual([...loadedFrom], [{ source: "simulator" }]);
  assert.equal(outcome.counts["prices.inserted"], await count(db, "price_bar"));

  const [run] = await recentRuns(db.sql, "crawl", 1);
  assert.equal(run.status, "partial");
  assert.match(run.error ?? "", /^yahoo AAPL: .*HTTP 503$/m);
  assert.match(run.error ?? "", /^yahoo MSFT: /m);
  assert.deepEqual(run.counts, outcome.counts);
});

const RSS = Deno.readFileSync(new URL("../lib/news/fixtures/rss_finance.xml", import.meta.url));
const ERROR_PAGE = Deno.readFileSync(
  new URL("../lib/news/fixtures/error_page.html", import.meta.url),
);

Deno.test("crawl: a feed answering an HTML error page is recorded; other feeds and prices load", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-crawl-");
  await using app = await context(db, dir.path);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    switch (new URL(req.url).pathname) {
      case "/broken.rss":
        // What a proxy in front of a down publisher answers: 200 and an HTML page.
        return new Response(ERROR_PAGE, { headers: { "content-type": "text/html" } });
      case "/markets.rss":
        return new Response(RSS, {
          headers: { "content-type": "application/rss+xml", etag: '"v1"' },
        });
      default:
        return new Response("not found", { status: 404 });
    }
  });
  await using _server = { [Symbol.asyncDispose]: () => server.shutdown() };
  const base = `http://127.0.0.1:${server.addr.port}`;
  await upsertStocks(db.sql, FEW);
  const broken = (await addFeed(db.sql, { url: `${base}/broken.rss` })).feed;
  const working = (await addFeed(db.sql, { url: `${base}/markets.rss` })).feed;
  const sources: CrawlSources = {
    market: [createSimulatorMarketSource(app.config)],
    feeds: new FeedSource({
      cache: app.cache,
      rateLimit: NO_LIMIT,
      retry: FAST_RETRY,
      deps: { sleep: noSleep },
    }),
    simulatedNews: false,
  };

  const outcome = await runJob(createCrawlJob(() => sources), app);
  assert.equal(outcome.status, "partial", JSON.stringify(outcome));
  assert.ok(outcome.status === "partial");
  assert.equal(outcome.problems.length, 1);
  assert.match(outcome.problems[0], new RegExp(`^feed ${base}/broken.rss: .*HTML`));

  const feeds = new Map((await listFeeds(db.sql)).map((feed) => [feed.id, feed]));
  assert.match(feeds.get(broken.id)?.lastError ?? "", /HTML/);
  assert.ok(feeds.get(broken.id)?.lastFetchedAt);
  assert.equal(feeds.get(working.id)?.lastError, null);
  assert.equal(feeds.get(working.id)?.etag, '"v1"');

  assert.ok(outcome.counts["news.inserted"] > 0, "the working feed's items loaded");
  assert.equal(outcome.counts["news.inserted"], await count(db, "news"));
  const [{ apple }] = await db.sql<{ apple: number }[]>`
    select count(*)::int as apple from news_stock ns join stock s on s.id = ns.stock_id
    where s.symbol = 'AAPL'`;
  assert.ok(apple > 0, "feed items are matched to stocks");
  const bars = await barsBySymbol(db);
  assert.deepEqual([...bars.keys()].sort(), ["AAPL", "BTC-USD", "MSFT"]);
  const [rejected] = await db.sql<{ parse_status: string; parse_error: string }[]>`
    select parse_status, parse_error from raw_payload where url = ${`${base}/broken.rss`}`;
  assert.equal(rejected.parse_status, "rejected", "the bad payload is archived and marked");
  assert.match(rejected.parse_error, /HTML/);
});

/** FEW stored and crawled once from the simulator: the raw archive that --reparse reads. */
async function crawledFew(db: Database, dataDir: string) {
  await using app = await context(db, dataDir);
  await upsertStocks(db.sql, FEW);
  const job = createCrawlJob();
  assert.equal((await runJob(job, app)).status, "succeeded");
  return { app, job };
}

Deno.test("crawl --reparse rebuilds prices and news from the raw archive", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-crawl-");
  const { app, job } = await crawledFew(db, dir.path);

  const prices = () =>
    db.sql`
      select s.symbol, p.date, p.open, p.high, p.low, p.close, p.adj_close, p.volume, p.closed_at,
        p.source
      from price_bar p join stock s on s.id = p.stock_id order by s.symbol, p.date`;
  const news = () =>
    db.sql`
      select n.url, n.title, n.summary, n.source, n.language, n.published_at,
        n.published_at_estimated, n.fetched_at, n.raw_ref, n.content_hash,
        array(select s.symbol || ' ' || ns.score || ' ' || coalesce(ns.matched_on, '-')
          from news_stock ns join stock s on s.id = ns.stock_id
          where ns.news_id = n.id order by s.symbol) as links
      from news n order by n.url`;
  const pricesBefore = [...await prices()];
  const newsBefore = [...await news()];
  assert.ok(pricesBefore.length > 0 && newsBefore.length > 0);

  await db.sql`delete from news`;
  await db.sql`delete from price_bar`;
  const reparsed = await runJob(job, app, undefined, ["--reparse"]);
  assert.equal(reparsed.status, "succeeded", JSON.stringify(reparsed));
  assert.ok(reparsed.status === "succeeded");
  assert.deepEqual(reparsed.counts, {
    "prices.reparsed": FEW.length,
    "prices.inserted": pricesBefore.length,
    "news.reparsed": 1,
    "news.inserted": newsBefore.length,
  });
  assert.deepEqual([...await prices()], pricesBefore);
  assert.deepEqual([...await news()], newsBefore);

  // Again: everything is already there.
  const again = await runJob(job, app, undefined, ["--reparse"]);
  assert.ok(again.status === "succeeded");
  assert.equal(again.counts["prices.inserted"], undefined);
  assert.equal(again.counts["news.inserted"], undefined);
  assert.equal(again.counts["news.duplicates"], newsBefore.length);
});

Deno.test("crawl --reparse: a lost archive file is reported, the other payloads still load", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-crawl-");
  const { app, job } = await crawledFew(db, dir.path);
  const [lost] = await db.sql<{ id: number; sha256: string }[]>`
    select r.id, r.sha256 from raw_payload r join stock s on s.id = r.stock_id
    where s.symbol = 'MSFT'`;
  await Deno.remove(join(archiveDirOf(dir.path), archiveKey(lost.sha256)));
  await db.sql`delete from price_bar`;

  const outcome = await runJob(job, app, undefined, ["--reparse"]);
  assert.equal(outcome.status, "partial", JSON.stringify(outcome));
  assert.ok(outcome.status === "partial");
  assert.equal(outcome.problems.length, 1);
  assert.match(outcome.problems[0], new RegExp(`^reparse prices payload ${lost.id}: .*missing`));
  assert.equal(outcome.counts["prices.reparsed"], FEW.length - 1);
  assert.deepEqual([...(await barsBySymbol(db)).keys()].sort(), ["AAPL", "BTC-USD"]);
});

Deno.test("crawl: an unknown flag fails the run with a clear error", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-crawl-");
  await using app = await context(db, dir.path);
  await upsertStocks(db.sql, FEW);
  const outcome = await runJob(createCrawlJob(), app, undefined, ["--reparse", "--full"]);
  assert.deepEqual(
    outcome.status === "failed" && outcome.error,
    "crawl: unknown flag --full (known: --reparse)",
  );
  const [run] = await recentRuns(db.sql, "crawl", 1);
  assert.equal(run.status, "failed");
  assert.equal(run.error, "crawl: unknown flag --full (known: --reparse)");
  assert.equal(await count(db, "price_bar"), 0, "nothing was crawled");
});

Deno.test("crawl stopped after the first stock: interrupted, whole batches only, resumes", async () => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-crawl-");
  await using app = await context(db, dir.path);
  await upsertStocks(db.sql, FEW);
  const simulator = createSimulatorMarketSource(app.config);
  const controller = new AbortController();
  let fetches = 0;
  // Shutdown arrives while the second stock is being fetched.
  const stopping: MarketSource = {
    name: simulator.name,
    supports: (stock) => simulator.supports(stock),
    parse: (payload, stock) => simulator.parse(payload, stock),
    fetch(request, signal) {
      if (++fetches === 2) controller.abort();
      return simulator.fetch(request, signal);
    },
  };
  const sources: CrawlSources = { market: [stopping], feeds: null, simulatedNews: true };
  const job = createCrawlJob(() => sources);

  const stopped = await runJob(job, app, controller.signal);
  assert.equal(stopped.status, "interrupted", JSON.stringify(stopped));
  const [run] = await recentRuns(db.sql, "crawl", 1);
  assert.equal(run.status, "interrupted");
  assert.equal(run.error, null, "an abort is not a source problem");
  assert.equal(fetches, 2, "no stock is fetched after the stop");
  assert.equal(await count(db, "news"), 0, "news comes after prices: not reached");

  const stocks = await listStocks(db.sql);
  const bars = await barsBySymbol(db);
  assert.deepEqual([...bars.keys()], ["AAPL"], "only the first stock was stored");
  for (const stock of stocks) {
    const stored = bars.get(stock.symbol) ?? 0;
    const batch = expectedBars(app.config, stock).length;
    assert.ok(stored === 0 || stored === batch, `${stock.symbol}: ${stored} of ${batch} bars`);
  }

  // The next run carries on: every stock complete, nothing loaded twice.
  const resumed = await runJob(job, app);
  assert.equal(resumed.status, "succeeded", JSON.stringify(resumed));
  assert.ok(resumed.status === "succeeded");
  const after = await barsBySymbol(db);
  for (const stock of stocks) {
    assert.equal(after.get(stock.symbol), expectedBars(app.config, stock).length, stock.symbol);
  }
  assert.equal(
    resumed.counts["prices.inserted"],
    (await count(db, "price_bar")) - (bars.get("AAPL") ?? 0),
  );
  assert.ok(await count(db, "news") > 0);
});
