// Stooq-style daily CSV (`/q/d/l/?s={symbol}.us&i=d` → `Date,Open,High,Low,Close,Volume`) for US
// equities and ETFs.
//
// Stooq publishes its history already split-adjusted (a 4:1 split shows no -75% day) and has no
// separate adjusted column: bars carry `adjClose: null`, and returns come from `close`.
import type { FetchedPayload, ParseResult, Rejection } from "../net/fetched.ts";
import { PayloadError } from "../net/fetched.ts";
import type { Stock } from "../stocks/stock.ts";
import { acceptBars, type Candidate } from "./bar_rules.ts";
import { payloadText, refuseHtml } from "./payload_text.ts";
import type { DailyBar, MarketSource, PriceRequest } from "./port.ts";
import { WebSource, type WebSourceOptions } from "./web_source.ts";

export const STOOQ_BASE_URL = "https://stooq.com";

// Stooq caps downloads per day per client and answers a plain-text notice past the cap: one
// request every two seconds keeps a crawl of a few hundred symbols well within it.
const RATE_LIMIT = { capacity: 1, refillPerSecond: 0.5 };

// A US ticker without an exchange suffix: AAPL, SPY, BRK-B (BRK.B).
const US_TICKER = /^[A-Z][A-Z0-9]{0,5}([.-][A-Z])?$/;

/** Stooq's name for a US ticker: lower case, `.us` suffix, share classes with a dash. */
export function stooqSymbol(symbol: string): string {
  return `${symbol.replace(".", "-").toLowerCase()}.us`;
}

export class StooqSource implements MarketSource {
  readonly name = "stooq";
  readonly #web: WebSource;

  constructor(options: WebSourceOptions) {
    this.#web = new WebSource(this.name, options, {
      baseUrl: STOOQ_BASE_URL,
      rateLimit: RATE_LIMIT,
    });
  }

  supports(stock: Stock): boolean {
    return stock.assetClass === "equity" && stock.currency === "USD" &&
      US_TICKER.test(stock.symbol);
  }

  fetch(request: PriceRequest, signal?: AbortSignal): Promise<FetchedPayload> {
    let path = `/q/d/l/?s=${encodeURIComponent(stooqSymbol(request.stock.symbol))}&i=d`;
    // Without a range Stooq sends the whole history, which is what a first crawl wants.
    if (request.from) path += `&d1=${request.from.replaceAll("-", "")}`;
    if (request.to) path += `&d2=${request.to.replaceAll("-", "")}`;
    return this.#web.get(path, { Accept: "text/csv" }, signal);
  }

  parse(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar> {
    return parseStooqCsv(payload, stock);
  }
}

const REQUIRED = ["date", "open", "high", "low", "close"] as const;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Pure: the CSV → bars; a bad row is rejected with its 1-based line number (header = line 1). */
export function parseStooqCsv(payload: FetchedPayload, stock: Stock): ParseResult<DailyBar> {
  const text = payloadText(payload);
  refuseHtml("stooq", text);
  const lines = text.split(/\r?\n/);
  const header = lines[0].trim();
  // Stooq answers an unknown symbol or an empty range with the bare text "No data".
  if (/^no data/i.test(header)) {
    throw new PayloadError("stooq", "No data: unknown symbol or no bars in the range");
  }
  if (/exceeded the daily hits limit/i.test(header)) {
    throw new PayloadError("stooq", "daily download limit exceeded");
  }
  const names = header.split(",").map((name) => name.trim().toLowerCase());
  const missing = REQUIRED.filter((name) => !names.includes(name));
  if (missing.length) {
    throw new PayloadError(
      "stooq",
      `not a daily price CSV: header ${JSON.stringify(header.slice(0, 80))} lacks ${
        missing.join(", ")
      }`,
    );
  }
  const column = (name: string) => names.indexOf(name);
  const volumeColumn = column("volume");

  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  lines.slice(1).forEach((line, index) => {
    const at = index + 2;
    if (line.trim() === "") return;
    const fields = line.split(",").map((field) => field.trim());
    if (fields.length !== names.length) {
      rejected.push({ at, reason: `expected ${names.length} fields, got ${fields.length}` });
      return;
    }
    const date = fields[column("date")];
    if (!DATE.test(date)) {
      rejected.push({ at, reason: `date ${JSON.stringify(date)} is not YYYY-MM-DD` });
      return;
    }
    const numbers: Record<string, number> = {};
    for (const name of ["open", "high", "low", "close"]) {
      const field = fields[column(name)];
      if (!NUMBER.test(field)) {
        rejected.push({ at, reason: `${name} ${JSON.stringify(field)} is not a number` });
        return;
      }
      numbers[name] = Number(field);
    }
    const volumeField = volumeColumn === -1 ? "" : fields[volumeColumn];
    if (volumeField !== "" && !NUMBER.test(volumeField)) {
      rejected.push({ at, reason: `volume ${JSON.stringify(volumeField)} is not a number` });
      return;
    }
    candidates.push({
      at,
      bar: {
        date,
        open: numbers.open,
        high: numbers.high,
        low: numbers.low,
        close: numbers.close,
        adjClose: null,
        // An empty volume (indices, some ETFs' early history) is unknown, not zero.
        volume: volumeField === "" ? null : Number(volumeField),
      },
    });
  });
  return acceptBars(candidates, stock, payload.fetchedAt, rejected);
}
