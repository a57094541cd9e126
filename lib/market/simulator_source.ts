// The simulator as a market source (and a news payload for the crawl job): the same fetch →
// archive → parse path as the web adapters, with deterministic JSON bodies instead of HTTP. The
// clock is injected, and nothing after it is ever served: no bar that has not closed yet, no
// headline not yet published.

import type { Config } from "../config.ts";
import {
  type FetchedPayload,
  type ParseResult,
  PayloadError,
  type Rejection,
} from "../net/fetched.ts";
import type { NewsEntry } from "../news/port.ts";
import type { Stock } from "../stocks/stock.ts";
import { acceptBars, type Candidate } from "./bar_rules.ts";
import type { DailyBar, MarketSource, PriceRequest } from "./port.ts";
import { simulateBars, simulateHeadlines } from "./simulator.ts";
import { barClosedAt, newYorkDate } from "./trading_time.ts";

const SOURCE = "simulator";
const CONTENT_TYPE = "application/json";
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The exchange-local calendar date at `now`: New York for equities, UTC for crypto. */
function localToday(now: Date, assetClass: Stock["assetClass"]): string {
  return assetClass === "crypto" ? now.toISOString().slice(0, 10) : newYorkDate(now);
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

function checkDate(name: string, value: string): void {
  if (!DATE.test(value)) throw new RangeError(`${name}: not a YYYY-MM-DD date: ${value}`);
}

/** Market source "simulator": bars from config.simulator.start (by default) up to `today()`. */
export function createSimulatorMarketSource(
  config: Config,
  today: () => Date = () => new Date(),
): MarketSource {
  const { seed, start } = config.simulator;
  return {
    name: SOURCE,
    supports: () => true,
    fetch(request: PriceRequest, signal?: AbortSignal): Promise<FetchedPayload> {
      try {
        signal?.throwIfAborted();
        const now = today();
        const { stock } = request;
        const from = request.from ?? start;
        checkDate("from", from);
        if (request.to !== undefined) checkDate("to", request.to);
        const to = earlier(request.to ?? "9999-12-31", localToday(now, stock.assetClass));
        const bars = simulateBars(seed, stock, from, to);
        // Today's bar exists only once the market has closed.
        while (bars.length && barClosedAt(bars[bars.length - 1].date, stock.assetClass) > now) {
          bars.pop();
        }
        const body = JSON.stringify({ seed, symbol: stock.symbol, from, to, bars });
        return Promise.resolve({
          source: SOURCE,
          url: `simulator://prices/${encodeURIComponent(stock.symbol)}?from=${from}&to=${to}`,
          contentType: CONTENT_TYPE,
          body: encoder.encode(body),
          fetchedAt: now,
        });
      } catch (error) {
        return Promise.reject(error);
      }
    },
    parse: parseSimulatedBars,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The payload's JSON object and its list `field`; PayloadError for anything else. */
function readJson(
  payload: FetchedPayload,
  field: string,
): { document: Record<string, unknown>; items: unknown[] } {
  let document: unknown;
  try {
    document = JSON.parse(decoder.decode(payload.body));
  } catch {
    throw new PayloadError(SOURCE, `${payload.url}: not JSON`);
  }
  const items = isRecord(document) ? document[field] : undefined;
  if (!isRecord(document) || !Array.isArray(items)) {
    throw new PayloadError(SOURCE, `${payload.url}: expected an object with a "${field}" list`);
  }
  return { document, items };
}

const isNumber = (value: unknown): value is number => typeof value === "number";

// Only the JSON shape is checked here; whether a bar is sound (prices, range, closed by the time
// it was fetched, repeated dates) is decided by the rules every source shares.
function asBar(item: unknown): string | DailyBar {
  if (!isRecord(item)) return "not an object";
  const { date, open, high, low, close, adjClose, volume } = item;
  if (typeof date !== "string") return "date is not text";
  if (!isNumber(open) || !isNumber(high) || !isNumber(low) || !isNumber(close)) {
    return "open, high, low and close must be numbers";
  }
  if (adjClose !== null && !isNumber(adjClose)) return "adjClose must be a number or null";
  if (volume !== null && !isNumber(volume)) return "volume must be a number or null";
  return { date, open, high, low, close, adjClose, volume };
}

/** Pure: a simulator price payload → bars; a payload of another shape throws PayloadError. */
export function parseSimulatedBars(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar> {
  const { document, items } = readJson(payload, "bars");
  if (document.symbol !== stock.symbol) {
    throw new PayloadError(
      SOURCE,
      `${payload.url}: bars are for ${JSON.stringify(document.symbol)}, not ${stock.symbol}`,
    );
  }
  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    const bar = asBar(item);
    if (typeof bar === "string") rejected.push({ at: index + 1, reason: bar });
    else candidates.push({ at: index + 1, bar });
  });
  return acceptBars(candidates, stock, payload.fetchedAt, rejected);
}

/**
 * The simulator's headlines about `universe` from `from` (default config.simulator.start) to `to`
 * (default and at most today), as a payload for the raw archive: only headlines published by
 * `today()` are included.
 */
export function simulatedNewsPayload(
  config: Config,
  universe: readonly Stock[],
  from: string = config.simulator.start,
  to?: string,
  today: () => Date = () => new Date(),
): FetchedPayload {
  const now = today();
  // UTC's date is never behind any exchange's: the publication-time filter does the rest.
  checkDate("from", from);
  if (to !== undefined) checkDate("to", to);
  const until = earlier(to ?? "9999-12-31", now.toISOString().slice(0, 10));
  const { seed } = config.simulator;
  const entries = simulateHeadlines(seed, universe, from, until)
    .filter(({ entry }) => entry.publishedAt !== null && entry.publishedAt <= now)
    .map(({ entry }) => ({ ...entry, publishedAt: entry.publishedAt?.toISOString() ?? null }));
  const symbols = universe.map((stock) => stock.symbol).sort();
  const query = `from=${from}&to=${until}&symbols=${symbols.map(encodeURIComponent).join(",")}`;
  return {
    source: SOURCE,
    url: `simulator://news?${query}`,
    contentType: CONTENT_TYPE,
    body: encoder.encode(JSON.stringify({ seed, from, to: until, entries })),
    fetchedAt: now,
  };
}

function entryProblem(item: unknown): string | NewsEntry {
  if (!isRecord(item)) return "not an object";
  const { url, title, summary, publishedAt, source, language, symbols } = item;
  if (typeof url !== "string" || !/^https:\/\/\S+$/.test(url)) return "url is not an https URL";
  if (typeof title !== "string" || !title.trim()) return "title is empty";
  if (summary !== null && typeof summary !== "string") return "summary must be text or null";
  const time = typeof publishedAt === "string" ? new Date(publishedAt) : null;
  if (!time || Number.isNaN(time.getTime())) return "publishedAt is not an ISO time";
  if (typeof source !== "string" || !source) return "source is empty";
  if (language !== null && typeof language !== "string") return "language must be text or null";
  if (!Array.isArray(symbols) || !symbols.every((symbol) => typeof symbol === "string")) {
    return "symbols must be a list of tickers";
  }
  return { url, title, summary, publishedAt: time, source, language, symbols };
}

/** Pure: a simulator news payload → entries; a payload of another shape throws PayloadError. */
export function parseSimulatedNews(payload: FetchedPayload): ParseResult<NewsEntry> {
  const { items } = readJson(payload, "entries");
  const rows: NewsEntry[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    const entry = entryProblem(item);
    if (typeof entry === "string") rejected.push({ at: index + 1, reason: entry });
    else rows.push(entry);
  });
  return { rows, rejected };
}
