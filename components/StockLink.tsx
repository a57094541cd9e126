import { stockPath } from "../lib/stocks/paths.ts";

/** A stock's symbol, linking to its page. */
export function StockLink({ symbol }: { symbol: string }) {
  return <a href={stockPath(symbol)}>{symbol}</a>;
}
