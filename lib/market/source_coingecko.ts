// CoinGecko daily prices for crypto pairs: `/api/v3/coins/{id}/market_chart?interval=daily`.
//
// Why market_chart and not /ohlc: the public /ohlc endpoint picks its candle size from `days`
// (4-hour candles up to 30 days, 4-day candles beyond), so it cannot give daily bars for more than
// a month of history. market_chart gives one price per day for up to a year, but no OHLC: each bar
// has open = high = low = close = that price. Indicators that need a real intraday range (ATR,
// stochastics) see a zero range for CoinGecko bars; returns are unaffected.
//
// A daily point stamped 00:00 UTC on day D is the price at the end of day D-1: it becomes the bar
// dated D-1, which closes (lib/market/trading_time.ts) at exactly that instant. The last point is
// the current price at fetch time, not a close, and is rejected.
import type { FetchedPayload, ParseResult, Rejection } from "../net/fetched.ts";
import { PayloadError } from "../net/fetched.ts";
import type { Stock } from "../stocks/stock.ts";
import { acceptBars, type Candidate } from "./bar_rules.ts";
import { utcDate } from "./local_date.ts";
import { isRecord, parseJson, payloadText } from "./payload_text.ts";
import type { DailyBar, MarketSource, PriceRequest } from "./port.ts";
import { WebSource, type WebSourceOptions } from "./web_source.ts";

export const COINGECKO_BASE_URL = "https://api.coingecko.com";

// The keyless public API allows roughly 5–15 calls a minute depending on load: one call every six
// seconds stays under the floor.
const RATE_LIMIT = { capacity: 1, refillPerSecond: 1 / 6 };

/** Our symbols → CoinGecko coin ids. A symbol not listed is not supported. */
export const COIN_IDS: Readonly<Record<string, string>> = {
  "BTC-USD": "bitcoin",
  "ETH-USD": "ethereum",
};

// The keyless API serves at most a year of history.
const MAX_DAYS = 365;

const DAY_MS = 86_400_000;

// The API's "00:00" points are sometimes stamped a few seconds or minutes off midnight.
const MIDNIGHT_SLACK_MS = 10 * 60_000;

export interface CoinGeckoOptions extends WebSourceOptions {
  /** A demo API key, sent as a header (never in the URL, which is archived). */
  apiKey?: string;
  /** Replaces the symbol → coin id table. */
  coinIds?: Readonly<Record<string, string>>;
}

export class CoinGeckoSource implements MarketSource {
  readonly name = "coingecko";
  readonly #web: WebSource;
  readonly #apiKey: string | undefined;
  readonly #coinIds: Readonly<Record<string, string>>;

  constructor(options: CoinGeckoOptions) {
    this.#web = new WebSource(this.name, options, {
      baseUrl: COINGECKO_BASE_URL,
      rateLimit: RATE_LIMIT,
    });
    this.#apiKey = options.apiKey;
    this.#coinIds = options.coinIds ?? COIN_IDS;
  }

  supports(stock: Stock): boolean {
    return stock.assetClass === "crypto" && Object.hasOwn(this.#coinIds, stock.symbol);
  }

  fetch(request: PriceRequest, signal?: AbortSignal): Promise<FetchedPayload> {
    const id = this.#coinIds[request.stock.symbol];
    if (!id || request.stock.assetClass !== "crypto") {
      return Promise.reject(new RangeError(`coingecko has no coin for ${request.stock.symbol}`));
    }
    // market_chart always ends now; `days` reaches back to the requested start (one extra day
    // for the point that closes the first requested day).
    const now = this.#web.now();
    const days = request.from
      ? Math.min(
        MAX_DAYS,
        Math.ceil((now - Date.parse(`${request.from}T00:00:00Z`)) / DAY_MS) + 1,
      )
      : MAX_DAYS;
    const path = `/api/v3/coins/${encodeURIComponent(id)}/market_chart` +
      `?vs_currency=${request.stock.currency.toLowerCase()}&days=${
        Math.max(1, days)
      }&interval=daily`;
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.#apiKey) headers["x-cg-demo-api-key"] = this.#apiKey;
    return this.#web.get(path, headers, signal);
  }

  parse(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar> {
    return parseCoinGeckoChart(payload, stock);
  }
}

/** Pure: market_chart JSON → one bar per closed UTC day; volume is the 24-hour quote volume. */
export function parseCoinGeckoChart(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar> {
  const json = parseJson("coingecko", payloadText(payload));
  if (!isRecord(json)) throw new PayloadError("coingecko", "not a JSON object");
  if (json.error !== undefined) {
    const message = isRecord(json.error)
      ? json.error.status ?? JSON.stringify(json.error)
      : json.error;
    throw new PayloadError("coingecko", `error: ${String(message)}`);
  }
  if (isRecord(json.status) && json.status.error_code !== undefined) {
    throw new PayloadError(
      "coingecko",
      `error ${String(json.status.error_code)}: ${String(json.status.error_message ?? "")}`,
    );
  }
  if (!Array.isArray(json.prices)) throw new PayloadError("coingecko", "no `prices` array");
  const volumes = new Map<number, number>();
  if (Array.isArray(json.total_volumes)) {
    for (const point of json.total_volumes) {
      if (Array.isArray(point) && typeof point[0] === "number" && typeof point[1] === "number") {
        volumes.set(point[0], point[1]);
      }
    }
  }

  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  json.prices.forEach((point: unknown, index) => {
    const at = index + 1;
    if (!Array.isArray(point) || point.length < 2 || typeof point[0] !== "number") {
      rejected.push({ at, reason: `entry ${JSON.stringify(point)} is not [time, price]` });
      return;
    }
    const [time, price] = point;
    if (price === null) {
      rejected.push({ at, reason: "missing price (null)" });
      return;
    }
    if (typeof price !== "number") {
      rejected.push({ at, reason: `price ${JSON.stringify(price)} is not a number` });
      return;
    }
    const midnight = Math.round(time / DAY_MS) * DAY_MS;
    if (Math.abs(time - midnight) > MIDNIGHT_SLACK_MS) {
      rejected.push({
        at,
        reason: `${new Date(time).toISOString()} is intraday, not a day's close`,
      });
      return;
    }
    candidates.push({
      at,
      bar: {
        date: utcDate(midnight - DAY_MS),
        open: price,
        high: price,
        low: price,
        close: price,
        adjClose: null,
        volume: volumes.get(time) ?? null,
      },
    });
  });
  return acceptBars(candidates, stock, payload.fetchedAt, rejected);
}
