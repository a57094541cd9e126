import type { FetchedPayload, ParseResult } from "../net/fetched.ts";
import type { Stock } from "../stocks/stock.ts";

/** One daily bar as a source gives it (before it is tied to a stock row and stored). */
export interface DailyBar {
  /** Exchange-local trading day (UTC day for crypto), "YYYY-MM-DD". */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number | null;
  volume: number | null;
}

export interface PriceRequest {
  stock: Stock;
  /** First trading day wanted (inclusive); unset: the source's default history. */
  from?: string;
  /** Last trading day wanted (inclusive); unset: up to today. */
  to?: string;
}

/**
 * A source of daily bars. Fetching and parsing are separate so that every payload is archived
 * before it is parsed, and archived payloads can be parsed again after a parser fix.
 */
export interface MarketSource {
  readonly name: string;
  /** Whether this source can price `stock` (e.g. CoinGecko only crypto). */
  supports(stock: Stock): boolean;
  fetch(request: PriceRequest, signal?: AbortSignal): Promise<FetchedPayload>;
  /** Pure: payload → bars; a payload that is not of the expected shape throws PayloadError. */
  parse(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar>;
}
