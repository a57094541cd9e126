// The crawl job (DESIGN §7): prices and news from the configured sources through
// retrieve → raw archive → parse → match → load. One failing source never stops the others: the
// failure is reported and the run ends `partial`. Every batch is one fenced transaction (through
// `job.fencedSql`), so a kill leaves whole batches or nothing, a run another process took over
// commits nothing more, and the next run carries on from the newest stored bar.
import { archiveKey } from "../lib/archive/content_address.ts";
import { archiveDirOf, loadArchivedPayload } from "../lib/archive/raw_archive.ts";
import { archivedPayloads, type RawPayloadRow } from "../lib/archive/store.ts";
import { type Config, SOURCE_NAMES } from "../lib/config.ts";
import type { AppContext } from "../lib/context.ts";
import { ingestNews, loadNews, type Matcher } from "../lib/ingest/news.ts";
import { ingestPrices, loadPrices } from "../lib/ingest/prices.ts";
import type { Job, JobContext, JobCounts } from "../lib/jobs/job.ts";
import type { MarketSource } from "../lib/market/port.ts";
import { SIMULATOR_SOURCE } from "../lib/market/simulator.ts";
import {
  createSimulatorMarketSource,
  parseSimulatedNews,
  simulatedNewsPayload,
} from "../lib/market/simulator_source.ts";
import { createMarketSources } from "../lib/market/sources.ts";
import { latestBarDate } from "../lib/market/store.ts";
import type { FetchedPayload, ParseResult } from "../lib/net/fetched.ts";
import { parseFeed } from "../lib/news/feed_parse.ts";
import { FeedSource } from "../lib/news/feed_source.ts";
import { listFeeds, recordFeedFetch } from "../lib/news/feeds_store.ts";
import { compileMatcher } from "../lib/news/match.ts";
import type { NewsEntry, NewsSource } from "../lib/news/port.ts";
import { latestPublishedAt } from "../lib/news/store.ts";
import type { Stock } from "../lib/stocks/stock.ts";
import { listStocks } from "../lib/stocks/store.ts";

const REPARSE = "--reparse";

/** What one crawl reads from: built from config in production, from local servers in tests. */
export interface CrawlSources {
  /** In config order: for each stock the first source that supports it, later ones as fallback. */
  market: MarketSource[];
  /** RSS/Atom feeds listed in `news_feed`, or null when `feeds` is not a configured source. */
  feeds: NewsSource | null;
  /** Generate the simulator's headlines (SOURCES=simulator). */
  simulatedNews: boolean;
}

export function configuredSources(app: AppContext, config: Config = app.config): CrawlSources {
  const simulator = config.sources.includes("simulator")
    ? [createSimulatorMarketSource(config)]
    : [];
  return {
    market: createMarketSources(config, { cache: app.cache }, simulator),
    feeds: config.sources.includes("feeds") ? new FeedSource({ cache: app.cache }) : null,
    simulatedNews: config.sources.includes("simulator"),
  };
}

/** Pure news parsers by the payload's source name, for re-parsing the archive. */
const NEWS_PARSERS: Record<string, (payload: FetchedPayload) => ParseResult<NewsEntry>> = {
  feed: parseFeed,
  simulator: parseSimulatedNews,
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function add(counts: JobCounts, key: string, value: number): void {
  if (value) counts[key] = (counts[key] ?? 0) + value;
}

function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

async function crawlPrices(
  job: JobContext,
  market: MarketSource[],
  stocks: Stock[],
  counts: JobCounts,
) {
  const { app, signal } = job;
  const archiveDir = archiveDirOf(app.config.dataDir);
  const today = new Date().toISOString().slice(0, 10);
  for (const stock of stocks) {
    if (signal.aborted) return;
    const candidates = market.filter((source) => source.supports(stock));
    if (candidates.length === 0) continue;
    const latest = await latestBarDate(app.db.sql, stock.id);
    const from = latest === null ? undefined : addDays(latest, 1);
    if (from !== undefined && from > today) continue;
    for (const source of candidates) {
      try {
        const request = { stock, from };
        const loaded = await ingestPrices(job.fencedSql, archiveDir, source, request, signal);
        add(counts, "prices.inserted", loaded.inserted);
        add(counts, "prices.updated", loaded.updated);
        add(counts, "prices.rejected", loaded.rejected.length);
        for (const rejection of loaded.rejected.slice(0, 5)) {
          job.log.info("bar rejected", { source: source.name, symbol: stock.symbol, ...rejection });
        }
        break;
      } catch (error) {
        if (signal.aborted) return;
        job.reportProblem(`${source.name} ${stock.symbol}: ${message(error)}`);
      }
    }
  }
}

function countNews(
  counts: JobCounts,
  loaded: { inserted: number; duplicates: number; rejected: unknown[] },
) {
  add(counts, "news.inserted", loaded.inserted);
  add(counts, "news.duplicates", loaded.duplicates);
  add(counts, "news.rejected", loaded.rejected.length);
}

async function crawlFeeds(
  job: JobContext,
  source: NewsSource,
  stocks: Stock[],
  match: Matcher,
  counts: JobCounts,
) {
  const { app, signal } = job;
  const archiveDir = archiveDirOf(app.config.dataDir);
  const byId = new Map(stocks.map((stock) => [stock.id, stock]));
  for (const feed of await listFeeds(app.db.sql, { activeOnly: true })) {
    if (signal.aborted) return;
    const unchanged = { etag: feed.etag, lastModified: feed.lastModified };
    try {
      const fetched = await source.fetch(feed, signal);
      if (fetched) {
        const stock = feed.stockId === null ? undefined : byId.get(feed.stockId);
        countNews(
          counts,
          await ingestNews(job.fencedSql, archiveDir, fetched, {
            parse: (p) => source.parse(p),
            match,
            stock,
          }),
        );
      } else {
        add(counts, "feeds.unchanged", 1);
      }
      await recordFeedFetch(app.db.sql, feed.id, { ...(fetched ?? unchanged), error: null });
    } catch (error) {
      if (signal.aborted) return;
      job.reportProblem(`feed ${feed.url}: ${message(error)}`);
      await recordFeedFetch(app.db.sql, feed.id, { ...unchanged, error: message(error) });
    }
  }
}

async function crawlSimulatedNews(
  job: JobContext,
  stocks: Stock[],
  match: Matcher,
  counts: JobCounts,
) {
  const { app } = job;
  // From the day before the newest stored headline: the payload is deterministic, so the overlap
  // only meets duplicates, and a headline published since the last run is never missed.
  const latest = await latestPublishedAt(app.db.sql, SIMULATOR_SOURCE);
  const from = latest === null
    ? app.config.simulator.start
    : addDays(latest.toISOString().slice(0, 10), -1);
  try {
    const payload = simulatedNewsPayload(app.config, stocks, from);
    countNews(
      counts,
      await ingestNews(job.fencedSql, archiveDirOf(app.config.dataDir), payload, {
        parse: parseSimulatedNews,
        match,
      }),
    );
  } catch (error) {
    job.reportProblem(`simulator news: ${message(error)}`);
  }
}

/** Parses every archived payload again with today's parsers (after a parser fix). */
async function reparse(job: JobContext, stocks: Stock[], match: Matcher, counts: JobCounts) {
  const { app, signal } = job;
  const sql = job.fencedSql;
  const archiveDir = archiveDirOf(app.config.dataDir);
  // Every known source, whatever SOURCES says today: the archive may hold any of them.
  const market = configuredSources(app, { ...app.config, sources: [...SOURCE_NAMES] }).market;
  const byId = new Map(stocks.map((stock) => [stock.id, stock]));
  const stockOf = (row: RawPayloadRow) => row.stockId === null ? undefined : byId.get(row.stockId);
  for (const kind of ["prices", "news"] as const) {
    for await (const row of archivedPayloads(sql, { kind })) {
      if (signal.aborted) return;
      try {
        const payload = await loadArchivedPayload(archiveDir, row);
        const archived = { id: row.id, ref: archiveKey(row.sha256) };
        if (kind === "prices") {
          const source = market.find((candidate) => candidate.name === row.source);
          const stock = stockOf(row);
          if (!source || !stock) {
            throw new Error(`no parser or stock for ${row.source} payload ${row.id}`);
          }
          const loaded = await loadPrices(sql, source, stock, payload, archived);
          add(counts, "prices.reparsed", 1);
          add(counts, "prices.inserted", loaded.inserted);
          add(counts, "prices.updated", loaded.updated);
        } else {
          const parse = NEWS_PARSERS[row.source];
          if (!parse) throw new Error(`no parser for ${row.source} payload ${row.id}`);
          const loaded = await loadNews(sql, payload, archived, {
            parse,
            match,
            stock: stockOf(row),
          });
          add(counts, "news.reparsed", 1);
          countNews(counts, loaded);
        }
      } catch (error) {
        job.reportProblem(`reparse ${kind} payload ${row.id}: ${message(error)}`);
      }
    }
  }
}

export function createCrawlJob(
  sourcesFor: (app: AppContext) => CrawlSources = configuredSources,
): Job {
  return {
    name: "crawl",
    description: "Fetch prices and news from the configured sources",
    flags: [`${REPARSE}  parse every archived payload again (after a parser fix)`],
    async run(job) {
      const unknown = job.args.filter((arg) => arg !== REPARSE);
      if (unknown.length) throw new Error(`crawl: unknown flag ${unknown[0]} (known: ${REPARSE})`);
      const counts: JobCounts = {};
      const stocks = await listStocks(job.app.db.sql);
      // Matching considers every stock (news may name an inactive one); crawling only active ones.
      const match = compileMatcher(stocks);
      if (job.args.includes(REPARSE)) {
        await reparse(job, stocks, match, counts);
        return counts;
      }
      const sources = sourcesFor(job.app);
      const active = stocks.filter((stock) => stock.active);
      await crawlPrices(job, sources.market, active, counts);
      if (sources.feeds && !job.signal.aborted) {
        await crawlFeeds(job, sources.feeds, stocks, match, counts);
      }
      if (sources.simulatedNews && !job.signal.aborted) {
        await crawlSimulatedNews(job, active, match, counts);
      }
      return counts;
    },
  };
}
