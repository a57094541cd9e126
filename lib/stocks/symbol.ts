// Ticker symbols as the `stock` table stores them (its CHECK constraint, in TypeScript).
import type { AssetClass } from "./stock.ts";

/** Same rule as `stock_symbol_check`: upper case, starts with a letter, digit or `^`, ≤ 24 chars. */
const SYMBOL = /^[A-Z0-9^][A-Z0-9.^=_-]{0,23}$/;

/** `raw` trimmed, upper-cased and without a leading `$` (cashtags), or null when not a symbol. */
export function normalizeSymbol(raw: string): string | null {
  const symbol = raw.trim().replace(/^\$/, "").toUpperCase();
  return SYMBOL.test(symbol) ? symbol : null;
}

/**
 * Best guess for a symbol nobody described yet: Yahoo spells crypto pairs `BTC-USD`, `ETH-EUR`;
 * everything else is taken for an equity (an admin can correct it).
 */
export function guessAssetClass(symbol: string): AssetClass {
  return /^[A-Z0-9]{2,10}-(USD|USDT|EUR|GBP|BTC)$/.test(symbol) ? "crypto" : "equity";
}
