// Rows for unit tests that need no database: a `Stock` and a `DailyBar`.
import type { DailyBar } from "../../lib/market/port.ts";
import type { Stock } from "../../lib/stocks/stock.ts";

/**
 * An active USD stock with id 1 and no aliases, listed on NASDAQ (CRYPTO for a crypto asset)
 * unless `fields` say otherwise.
 */
export function testStock(symbol: string, name: string, fields: Partial<Stock> = {}): Stock {
  const assetClass = fields.assetClass ?? "equity";
  return {
    id: 1,
    symbol,
    exchange: assetClass === "crypto" ? "CRYPTO" : "NASDAQ",
    name,
    aliases: [],
    assetClass,
    currency: "USD",
    active: true,
    ...fields,
  };
}

/** Apple, as most source and rule tests use it. */
export const AAPL: Stock = testStock("AAPL", "Apple Inc.");

/** A sound bar closing at `close`, one either side of it for high and low, no adjusted close. */
export function testBar(date: string, close: number, fields: Partial<DailyBar> = {}): DailyBar {
  return {
    date,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    adjClose: null,
    volume: 1000,
    ...fields,
  };
}
