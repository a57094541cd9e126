// The only module that writes SQL for `price_bar`.
import type { ISql, Sql } from "postgres";
import type { Stock } from "../stocks/stock.ts";
import type { DailyBar } from "./port.ts";
import { barClosedAt } from "./trading_time.ts";

/** A stored daily bar. */
export interface PriceBar extends DailyBar {
  stockId: number;
  /** When the bar closed: the point-in-time rule compares this with as_of. */
  closedAt: Date;
  source: string;
}

export interface UpsertCounts {
  inserted: number;
  /** Existing bars whose values differed and were replaced. */
  updated: number;
  /** Existing bars with exactly these values: not written at all. */
  unchanged: number;
}

/** Rows per statement: ~10 array parameters of this length each, well within any limit. */
const CHUNK = 2_000;

// barClosedAt formats through Intl (tens of µs); a file of many tickers repeats the same dates.
const closeCache = new Map<string, Date>();

function closedAt(date: string, assetClass: Stock["assetClass"]): Date {
  const key = `${assetClass}:${date}`;
  let closed = closeCache.get(key);
  if (!closed) {
    if (closeCache.size >= 50_000) closeCache.clear();
    closed = barClosedAt(date, assetClass);
    closeCache.set(key, closed);
  }
  return closed;
}

interface Row {
  stock: Stock;
  bar: DailyBar;
}

/** One statement: insert new bars, replace differing ones, leave identical ones untouched. */
async function upsertChunk(sql: ISql, rows: Row[], source: string): Promise<UpsertCounts> {
  const column = <T>(pick: (row: Row) => T) => rows.map(pick);
  const written = await sql<{ inserted: boolean }[]>`
    insert into price_bar
      (stock_id, date, open, high, low, close, adj_close, volume, closed_at, source)
    select stock_id, date, open, high, low, close, adj_close, volume, closed_at, ${source}
    from unnest(
      ${column((row) => row.stock.id)}::bigint[], ${column((row) => row.bar.date)}::date[],
      ${column((row) => row.bar.open)}::float8[], ${column((row) => row.bar.high)}::float8[],
      ${column((row) => row.bar.low)}::float8[], ${column((row) => row.bar.close)}::float8[],
      ${column((row) => row.bar.adjClose)}::float8[], ${column((row) => row.bar.volume)}::float8[],
      ${column((row) => closedAt(row.bar.date, row.stock.assetClass).toISOString())}::timestamptz[]
    ) as input(stock_id, date, open, high, low, close, adj_close, volume, closed_at)
    on conflict (stock_id, date) do update set
      open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
      adj_close = excluded.adj_close, volume = excluded.volume, closed_at = excluded.closed_at,
      source = excluded.source, fetched_at = now()
    where (price_bar.open, price_bar.high, price_bar.low, price_bar.close, price_bar.adj_close,
        price_bar.volume, price_bar.closed_at)
      is distinct from (excluded.open, excluded.high, excluded.low, excluded.close,
        excluded.adj_close, excluded.volume, excluded.closed_at)
    -- xmax is 0 on a freshly inserted row version and set on an updated one.
    returning (xmax = 0) as inserted`;
  const inserted = written.filter((row) => row.inserted).length;
  const updated = written.length - inserted;
  return { inserted, updated, unchanged: rows.length - written.length };
}

/**
 * Stores bars of any number of stocks: chunks of up to 2,000 rows, all in one transaction, so a
 * failure leaves nothing half-written. Re-storing identical bars writes nothing (`unchanged`).
 * The same stock and date twice in one call: the last one wins (counted once).
 */
export async function upsertPriceRows(
  sql: Sql,
  rows: { stock: Stock; bar: DailyBar }[],
  source: string,
): Promise<UpsertCounts> {
  const distinct = new Map<string, Row>();
  for (const row of rows) distinct.set(`${row.stock.id}:${row.bar.date}`, row);
  const all = [...distinct.values()];
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (all.length === 0) return counts;
  const add = (chunk: UpsertCounts) => {
    counts.inserted += chunk.inserted;
    counts.updated += chunk.updated;
    counts.unchanged += chunk.unchanged;
  };
  if (all.length <= CHUNK) {
    add(await upsertChunk(sql, all, source)); // one statement is its own transaction
    return counts;
  }
  await sql.begin(async (tx) => {
    for (let start = 0; start < all.length; start += CHUNK) {
      add(await upsertChunk(tx, all.slice(start, start + CHUNK), source));
    }
  });
  return counts;
}

/** Stores one stock's bars; closed_at comes from the date and the stock's asset class. */
export function upsertPriceBars(
  sql: Sql,
  stock: Stock,
  bars: DailyBar[],
  source: string,
): Promise<UpsertCounts> {
  return upsertPriceRows(sql, bars.map((bar) => ({ stock, bar })), source);
}

interface PriceBarRow {
  stock_id: number;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adj_close: number | null;
  volume: number | null;
  closed_at: Date;
  source: string;
}

function toPriceBar(row: PriceBarRow): PriceBar {
  return {
    stockId: row.stock_id,
    date: row.date,
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    adjClose: row.adj_close,
    volume: row.volume,
    closedAt: row.closed_at,
    source: row.source,
  };
}

/**
 * A stock's bars, oldest first, between `from` and `to` (inclusive trading days). With `limit`,
 * the latest `limit` bars of that range.
 */
export async function priceBars(
  sql: ISql,
  stockId: number,
  options: { from?: string; to?: string; limit?: number } = {},
): Promise<PriceBar[]> {
  const rows = await sql<PriceBarRow[]>`
    select stock_id, date, open, high, low, close, adj_close, volume, closed_at, source
    from price_bar
    where stock_id = ${stockId}
      and ${options.from === undefined ? sql`true` : sql`date >= ${options.from}::date`}
      and ${options.to === undefined ? sql`true` : sql`date <= ${options.to}::date`}
    order by date desc
    ${options.limit === undefined ? sql`` : sql`limit ${options.limit}`}`;
  return rows.map(toPriceBar).reverse();
}

/** The date of a stock's newest bar, or null when it has none. */
export async function latestBarDate(sql: ISql, stockId: number): Promise<string | null> {
  const [row] = await sql<{ date: string | null }[]>`
    select max(date) as date from price_bar where stock_id = ${stockId}`;
  return row.date;
}

/**
 * Point in time: the latest `limit` bars that had closed by `asOf` (closed_at <= asOf), oldest
 * first. A bar dated on the day of asOf is excluded until its close.
 */
export async function barsClosedBy(
  sql: ISql,
  stockId: number,
  asOf: Date,
  limit: number,
): Promise<PriceBar[]> {
  const rows = await sql<PriceBarRow[]>`
    select stock_id, date, open, high, low, close, adj_close, volume, closed_at, source
    from price_bar
    where stock_id = ${stockId} and closed_at <= ${asOf}
    order by date desc
    limit ${limit}`;
  return rows.map(toPriceBar).reverse();
}

/** A stock's newest close and the one before it (for the day's change). */
export interface Quote {
  date: string;
  close: number;
  previousClose: number | null;
}

/**
 * The latest quote of every stock that has bars, by stock id. Two index lookups per stock on
 * (stock_id, date): a window over all of price_bar costs ~100× more once years of bars are stored.
 */
export async function latestQuotes(sql: ISql): Promise<Map<number, Quote>> {
  const rows = await sql<
    { stock_id: number; date: string; close: number; previous_close: number | null }[]
  >`
    select s.id as stock_id, last.date, last.close,
      (select p.close from price_bar p where p.stock_id = s.id and p.date < last.date
        order by p.date desc limit 1) as previous_close
    from stock s
    cross join lateral (
      select p.date, p.close from price_bar p where p.stock_id = s.id order by p.date desc limit 1
    ) last`;
  return new Map(rows.map((row) => [row.stock_id, {
    date: row.date,
    close: row.close,
    previousClose: row.previous_close,
  }]));
}

/**
 * When the stock's latest bar closed, among bars closed by `asOf`; null without one. A live
 * prediction is made as of this instant, so a rerun later that day finds the same as-of.
 */
export async function latestCloseBy(sql: ISql, stockId: number, asOf: Date): Promise<Date | null> {
  const [row] = await sql<{ closed_at: Date }[]>`
    select closed_at from price_bar
    where stock_id = ${stockId} and closed_at <= ${asOf}
    order by date desc limit 1`;
  return row?.closed_at ?? null;
}

/** Every bar close of these stocks on trading days `from`…`to` (inclusive), oldest first. */
export async function closesBetween(
  sql: ISql,
  stockIds: number[],
  from: string,
  to: string,
): Promise<{ stockId: number; date: string; closedAt: Date }[]> {
  return await sql<{ stockId: number; date: string; closedAt: Date }[]>`
    select stock_id as "stockId", to_char(date, 'YYYY-MM-DD') as date, closed_at as "closedAt"
    from price_bar
    where stock_id = any(${stockIds}::bigint[]) and date between ${from}::date and ${to}::date
    order by date, stock_id`;
}
