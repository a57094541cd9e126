// The only module that writes SQL for `stock`. Functions take `ISql`, so they run on the pool or
// inside a caller's transaction alike.
import type { ISql } from "postgres";
import type { AssetClass, Stock } from "./stock.ts";
import { guessAssetClass, normalizeSymbol } from "./symbol.ts";

/** A stock as an admin or the default universe describes it. */
export interface NewStock {
  symbol: string;
  exchange: string;
  name: string;
  /** Extra names for news matching; default none. */
  aliases?: string[];
  /** Default "equity". */
  assetClass?: AssetClass;
  /** ISO 4217; default "USD". */
  currency?: string;
  /** Only used when the stock is created (default true); an upsert never flips it. */
  active?: boolean;
}

/** How `ensureStocks` creates symbols it has not seen before. */
export interface UnknownStockDefaults {
  /** Default "UNKNOWN". */
  exchange?: string;
  /** Default false: a symbol met in a file is not crawled or predicted until an admin says so. */
  active?: boolean;
  /** Default: guessed from the symbol (`BTC-USD` → crypto, else equity). */
  assetClass?: AssetClass;
}

interface StockRow {
  id: number;
  symbol: string;
  exchange: string;
  name: string;
  aliases: string[];
  asset_class: AssetClass;
  currency: string;
  active: boolean;
}

function toStock(row: StockRow): Stock {
  return {
    id: row.id,
    symbol: row.symbol,
    exchange: row.exchange,
    name: row.name,
    aliases: row.aliases,
    assetClass: row.asset_class,
    currency: row.currency,
    active: row.active,
  };
}

function symbolOf(raw: string): string {
  const symbol = normalizeSymbol(raw);
  if (symbol === null) throw new RangeError(`not a ticker symbol: ${JSON.stringify(raw)}`);
  return symbol;
}

/** Every stock (or only active ones), by symbol. */
export async function listStocks(
  sql: ISql,
  options: { activeOnly?: boolean } = {},
): Promise<Stock[]> {
  const rows = await sql<StockRow[]>`
    select id, symbol, exchange, name, aliases, asset_class, currency, active from stock
    where ${options.activeOnly ? sql`active` : sql`true`}
    order by symbol`;
  return rows.map(toStock);
}

/** The stock with this symbol (case-insensitive, `$` allowed), or null. */
export async function getStock(sql: ISql, symbol: string): Promise<Stock | null> {
  const normalized = normalizeSymbol(symbol);
  if (normalized === null) return null;
  const [row] = await sql<StockRow[]>`
    select id, symbol, exchange, name, aliases, asset_class, currency, active from stock
    where symbol = ${normalized}`;
  return row ? toStock(row) : null;
}

/** The stock with this id, or null. */
export async function getStockById(sql: ISql, id: number): Promise<Stock | null> {
  const [row] = await sql<StockRow[]>`
    select id, symbol, exchange, name, aliases, asset_class, currency, active from stock
    where id = ${id}`;
  return row ? toStock(row) : null;
}

async function bySymbols(sql: ISql, symbols: string[]): Promise<Map<string, Stock>> {
  const rows = await sql<StockRow[]>`
    select id, symbol, exchange, name, aliases, asset_class, currency, active from stock
    where symbol = any(${symbols}::text[])`;
  return new Map(rows.map((row) => [row.symbol, toStock(row)]));
}

/**
 * Inserts new stocks and makes existing ones match the description (exchange, name, aliases,
 * asset class, currency); `active` is only used on insert. A symbol given twice: the last wins.
 * Returns the stored rows in the order given (one per distinct symbol).
 */
export async function upsertStocks(sql: ISql, stocks: NewStock[]): Promise<Stock[]> {
  const bySymbol = new Map<string, NewStock>();
  for (const stock of stocks) bySymbol.set(symbolOf(stock.symbol), stock);
  if (bySymbol.size === 0) return [];
  const rows = [...bySymbol].map(([symbol, stock]) => ({
    symbol,
    exchange: stock.exchange.trim(),
    name: stock.name.trim(),
    aliases: [...new Set((stock.aliases ?? []).map((alias) => alias.trim()).filter(Boolean))],
    asset_class: stock.assetClass ?? "equity",
    currency: stock.currency ?? "USD",
    active: stock.active ?? true,
  }));
  // One jsonb parameter: aliases are arrays, and a text[][] parameter would have to be rectangular.
  await sql`
    insert into stock (symbol, exchange, name, aliases, asset_class, currency, active)
    select symbol, exchange, name, aliases, asset_class, currency, active
    from jsonb_to_recordset(${sql.json(rows)}) as input(
      symbol text, exchange text, name text, aliases text[], asset_class text, currency text,
      active boolean
    )
    on conflict (symbol) do update set
      exchange = excluded.exchange, name = excluded.name, aliases = excluded.aliases,
      asset_class = excluded.asset_class, currency = excluded.currency, updated_at = now()
    where (stock.exchange, stock.name, stock.aliases, stock.asset_class, stock.currency)
      is distinct from
      (excluded.exchange, excluded.name, excluded.aliases, excluded.asset_class, excluded.currency)`;
  const stored = await bySymbols(sql, rows.map((row) => row.symbol));
  return rows.map((row) => stored.get(row.symbol)!);
}

/** Turns crawling and predicting for a stock on or off; null when there is no such stock. */
export async function setStockActive(
  sql: ISql,
  symbol: string,
  active: boolean,
): Promise<Stock | null> {
  const normalized = normalizeSymbol(symbol);
  if (normalized === null) return null;
  const [row] = await sql<StockRow[]>`
    update stock set active = ${active}, updated_at = now()
    where symbol = ${normalized}
    returning id, symbol, exchange, name, aliases, asset_class, currency, active`;
  return row ? toStock(row) : null;
}

/**
 * The stocks for `symbols`, creating the unknown ones from `defaults` (name = symbol, no
 * aliases, inactive unless told otherwise). Existing rows are never changed. Keys are the
 * normalised symbols; an invalid symbol throws a RangeError.
 */
export async function ensureStocks(
  sql: ISql,
  symbols: string[],
  defaults: UnknownStockDefaults = {},
): Promise<Map<string, Stock>> {
  const wanted = [...new Set(symbols.map(symbolOf))];
  if (wanted.length === 0) return new Map();
  const known = await bySymbols(sql, wanted);
  const missing = wanted.filter((symbol) => !known.has(symbol));
  if (missing.length === 0) return known;
  const exchange = defaults.exchange ?? "UNKNOWN";
  // `on conflict do nothing`: another process may create the same symbol at the same moment.
  await sql`
    insert into stock (symbol, exchange, name, asset_class, active)
    select symbol, ${exchange}, symbol, asset_class, ${defaults.active ?? false}
    from unnest(
      ${missing}::text[],
      ${missing.map((symbol) => defaults.assetClass ?? guessAssetClass(symbol))}::text[]
    ) as input(symbol, asset_class)
    on conflict (symbol) do nothing`;
  for (const [symbol, stock] of await bySymbols(sql, missing)) known.set(symbol, stock);
  return known;
}
