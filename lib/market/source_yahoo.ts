// Yahoo-style chart JSON (`/v8/finance/chart/{symbol}`): daily bars for equities, ETFs, indices
// and crypto pairs.
//
// Splits: in chart JSON `open/high/low/close/volume` are already split-adjusted (a 4:1 split shows
// no -75% day) but not dividend-adjusted; `adjclose` is adjusted for both. Bars keep `close` as
// given and `adjClose` from `adjclose`, and returns are computed from `adjClose`.
import type { FetchedPayload, ParseResult, Rejection } from "../net/fetched.ts";
import { PayloadError } from "../net/fetched.ts";
import type { Stock } from "../stocks/stock.ts";
import { acceptBars, type Candidate } from "./bar_rules.ts";
import { addDays, isTimeZone, localDate, utcDate } from "./local_date.ts";
import { isRecord, parseJson, payloadText } from "./payload_text.ts";
import type { DailyBar, MarketSource, PriceRequest } from "./port.ts";
import { WebSource, type WebSourceOptions } from "./web_source.ts";

export const YAHOO_BASE_URL = "https://query1.finance.yahoo.com";

// Unofficial API without published limits: about one request a second keeps well clear of the
// throttling (HTTP 429) Yahoo applies to bursts.
const RATE_LIMIT = { capacity: 2, refillPerSecond: 1 };

export interface YahooOptions extends WebSourceOptions {
  /** History fetched when a request gives no start date (default two years). */
  defaultHistoryDays?: number;
}

export class YahooSource implements MarketSource {
  readonly name = "yahoo";
  readonly #web: WebSource;
  readonly #defaultHistoryDays: number;

  constructor(options: YahooOptions) {
    this.#web = new WebSource(this.name, options, {
      baseUrl: YAHOO_BASE_URL,
      rateLimit: RATE_LIMIT,
    });
    this.#defaultHistoryDays = options.defaultHistoryDays ?? 730;
  }

  supports(_stock: Stock): boolean {
    return true;
  }

  fetch(request: PriceRequest, signal?: AbortSignal): Promise<FetchedPayload> {
    const to = request.to ?? utcDate(this.#web.now());
    const from = request.from ?? addDays(to, -this.#defaultHistoryDays);
    // A day of slack on each side: the range is in UTC, trading days are exchange-local.
    const period1 = Date.parse(`${addDays(from, -1)}T00:00:00Z`) / 1000;
    const period2 = Date.parse(`${addDays(to, 2)}T00:00:00Z`) / 1000;
    const path = `/v8/finance/chart/${encodeURIComponent(request.stock.symbol)}` +
      `?period1=${period1}&period2=${period2}&interval=1d&events=split,div`;
    return this.#web.get(path, { Accept: "application/json" }, signal);
  }

  parse(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar> {
    return parseYahooChart(payload, stock);
  }
}

/** Pure: chart JSON → daily bars dated in the exchange's time zone (`meta.exchangeTimezoneName`). */
export function parseYahooChart(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar> {
  const fail = (message: string): never => {
    throw new PayloadError("yahoo", message);
  };
  const json = parseJson("yahoo", payloadText(payload));
  const chart = isRecord(json) ? json.chart : undefined;
  if (!isRecord(chart)) return fail("no `chart` object");
  if (chart.error !== null && chart.error !== undefined) {
    const error = isRecord(chart.error) ? chart.error : {};
    return fail(`chart error: ${String(error.code ?? "?")}: ${String(error.description ?? "")}`);
  }
  const result = Array.isArray(chart.result) ? chart.result[0] : undefined;
  if (!isRecord(result)) return fail("chart.result is missing or empty");

  const timeZone = isRecord(result.meta) ? result.meta.exchangeTimezoneName : undefined;
  if (typeof timeZone !== "string" || !isTimeZone(timeZone)) {
    return fail(`meta.exchangeTimezoneName is missing or unknown: ${JSON.stringify(timeZone)}`);
  }
  // No `timestamp` at all: no trading day in the requested range (e.g. a holiday weekend).
  if (result.timestamp === undefined) return { rows: [], rejected: [] };
  const timestamps = result.timestamp;
  if (!Array.isArray(timestamps)) return fail("timestamp is not an array");

  const indicators = isRecord(result.indicators) ? result.indicators : {};
  const quote = Array.isArray(indicators.quote) ? indicators.quote[0] : undefined;
  if (!isRecord(quote)) return fail("indicators.quote[0] is missing");
  const series = (name: string, values: unknown): unknown[] => {
    if (!Array.isArray(values)) return fail(`${name} is missing`);
    if (values.length !== timestamps.length) {
      return fail(`${name} has ${values.length} entries for ${timestamps.length} timestamps`);
    }
    return values;
  };
  const column = (field: string) => series(`indicators.quote[0].${field}`, quote[field]);
  const columns = {
    open: column("open"),
    high: column("high"),
    low: column("low"),
    close: column("close"),
    volume: column("volume"),
  };
  // Absent for some instruments and intraday intervals: then bars carry no adjusted close.
  const adjcloseEntry = Array.isArray(indicators.adjclose) ? indicators.adjclose[0] : undefined;
  const adjclose = isRecord(adjcloseEntry)
    ? series("indicators.adjclose[0].adjclose", adjcloseEntry.adjclose)
    : null;

  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  timestamps.forEach((timestamp, index) => {
    const at = index + 1;
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
      rejected.push({ at, reason: `timestamp ${JSON.stringify(timestamp)} is not a number` });
      return;
    }
    const values: Record<string, unknown> = {
      open: columns.open[index],
      high: columns.high[index],
      low: columns.low[index],
      close: columns.close[index],
    };
    if (adjclose) values.adjclose = adjclose[index];
    // A null inside the series (a halted or not yet consolidated day): that row only.
    const missing = Object.keys(values).filter((name) => values[name] === null);
    if (missing.length) {
      rejected.push({ at, reason: `missing ${missing.join(", ")} (null)` });
      return;
    }
    const notNumbers = Object.keys(values).filter((name) => typeof values[name] !== "number");
    const volume = columns.volume[index];
    if (volume !== null && typeof volume !== "number") notNumbers.push("volume");
    if (notNumbers.length) {
      rejected.push({ at, reason: `${notNumbers.join(", ")} not a number` });
      return;
    }
    candidates.push({
      at,
      bar: {
        date: localDate(timestamp * 1000, timeZone),
        open: Number(values.open),
        high: Number(values.high),
        low: Number(values.low),
        close: Number(values.close),
        adjClose: adjclose ? Number(values.adjclose) : null,
        volume: volume === null ? null : Number(volume),
      },
    });
  });
  return acceptBars(candidates, stock, payload.fetchedAt, rejected);
}
