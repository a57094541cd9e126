export type AssetClass = "equity" | "crypto";

/** A row of `stock`: the universe the jobs crawl and the models predict. */
export interface Stock {
  id: number;
  /** Upper-case ticker as the sources spell it (AAPL, BRK-B, BTC-USD, SPY). */
  symbol: string;
  exchange: string;
  name: string;
  /** Extra names for news matching (e.g. "Apple", "iPhone maker"). */
  aliases: string[];
  assetClass: AssetClass;
  currency: string;
  active: boolean;
}
