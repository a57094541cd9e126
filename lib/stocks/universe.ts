// The stocks a fresh installation starts with, so the jobs and the dashboard have something to
// work on before an admin curates the list.
import type { Sql } from "postgres";
import { type NewStock, upsertStocks } from "./store.ts";

/**
 * Well-known US large caps, an S&P 500 ETF as the market benchmark, and two crypto pairs.
 * Aliases are the names news use for the company (the symbol and `name` always match too);
 * ambiguous short words ("Meta", "Target") are left out on purpose.
 */
export const DEFAULT_UNIVERSE: readonly NewStock[] = [
  { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc.", aliases: ["Apple", "Apple Inc"] },
  {
    symbol: "MSFT",
    exchange: "NASDAQ",
    name: "Microsoft Corporation",
    aliases: ["Microsoft"],
  },
  { symbol: "NVDA", exchange: "NASDAQ", name: "NVIDIA Corporation", aliases: ["Nvidia"] },
  { symbol: "AMZN", exchange: "NASDAQ", name: "Amazon.com, Inc.", aliases: ["Amazon"] },
  {
    symbol: "GOOGL",
    exchange: "NASDAQ",
    name: "Alphabet Inc. (Class A)",
    aliases: ["Alphabet", "Google"],
  },
  {
    symbol: "META",
    exchange: "NASDAQ",
    name: "Meta Platforms, Inc.",
    aliases: ["Meta Platforms", "Facebook"],
  },
  { symbol: "TSLA", exchange: "NASDAQ", name: "Tesla, Inc.", aliases: ["Tesla"] },
  {
    symbol: "JPM",
    exchange: "NYSE",
    name: "JPMorgan Chase & Co.",
    aliases: ["JPMorgan", "JP Morgan", "JPMorgan Chase"],
  },
  {
    symbol: "XOM",
    exchange: "NYSE",
    name: "Exxon Mobil Corporation",
    aliases: ["Exxon", "ExxonMobil", "Exxon Mobil"],
  },
  { symbol: "JNJ", exchange: "NYSE", name: "Johnson & Johnson", aliases: ["J&J"] },
  {
    symbol: "PG",
    exchange: "NYSE",
    name: "The Procter & Gamble Company",
    aliases: ["Procter & Gamble", "P&G"],
  },
  { symbol: "KO", exchange: "NYSE", name: "The Coca-Cola Company", aliases: ["Coca-Cola"] },
  // Walmart moved its listing from the NYSE to Nasdaq in December 2025.
  { symbol: "WMT", exchange: "NASDAQ", name: "Walmart Inc.", aliases: ["Walmart", "Wal-Mart"] },
  {
    symbol: "DIS",
    exchange: "NYSE",
    name: "The Walt Disney Company",
    aliases: ["Disney", "Walt Disney"],
  },
  { symbol: "INTC", exchange: "NASDAQ", name: "Intel Corporation", aliases: ["Intel"] },
  {
    symbol: "BAC",
    exchange: "NYSE",
    name: "Bank of America Corporation",
    aliases: ["Bank of America", "BofA"],
  },
  {
    symbol: "UNH",
    exchange: "NYSE",
    name: "UnitedHealth Group Incorporated",
    aliases: ["UnitedHealth", "UnitedHealthcare"],
  },
  { symbol: "HD", exchange: "NYSE", name: "The Home Depot, Inc.", aliases: ["Home Depot"] },
  { symbol: "CVX", exchange: "NYSE", name: "Chevron Corporation", aliases: ["Chevron"] },
  { symbol: "PFE", exchange: "NYSE", name: "Pfizer Inc.", aliases: ["Pfizer"] },
  {
    symbol: "SPY",
    exchange: "NYSE Arca",
    name: "SPDR S&P 500 ETF Trust",
    aliases: ["S&P 500", "SPDR S&P 500"],
  },
  {
    symbol: "BTC-USD",
    exchange: "CRYPTO",
    name: "Bitcoin",
    aliases: ["Bitcoin"],
    assetClass: "crypto",
  },
  {
    symbol: "ETH-USD",
    exchange: "CRYPTO",
    name: "Ethereum",
    aliases: ["Ethereum", "Ether"],
    assetClass: "crypto",
  },
];

/**
 * Inserts the default universe when the stock table is empty; afterwards it does nothing, so an
 * admin's edits and deletions are never overwritten. Returns how many stocks it inserted.
 */
export async function seedDefaultUniverse(sql: Sql): Promise<number> {
  return await sql.begin(async (tx) => {
    // Serialises concurrent first starts (several processes, one database): the second one
    // waits for the first to commit and then sees a non-empty table.
    await tx`lock table stock in share row exclusive mode`;
    const [{ empty }] = await tx<{ empty: boolean }[]>`
      select not exists (select 1 from stock) as empty`;
    if (!empty) return 0;
    return (await upsertStocks(tx, [...DEFAULT_UNIVERSE])).length;
  });
}
