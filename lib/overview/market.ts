// The dashboard's market overview: the index ETF's last day and the breadth of the universe that
// day (how many active equities rose, fell, held), with the day's biggest movers. Equities only:
// crypto trades at weekends, so its latest day is another market's.
import type { ISql } from "postgres";
import { INDEX_SYMBOL } from "../evaluate/query.ts";

export interface DayMove {
  symbol: string;
  name: string;
  close: number;
  /** Since the previous close: 0.012 for +1.2% (see dayChange). */
  change: number;
}

export interface MarketOverview {
  /** The latest trading day any active equity has a bar for. */
  day: string;
  /** Null when the index ETF has no bar that day. */
  index: DayMove | null;
  advancers: number;
  decliners: number;
  unchanged: number;
  /** Up to three each, the largest move first (the index left out). */
  gainers: DayMove[];
  losers: DayMove[];
}

interface MoveRow {
  symbol: string;
  name: string;
  day: string;
  close: number;
  adj_close: number | null;
  previous_close: number | null;
  previous_adj_close: number | null;
}

/** The day's change: adjusted closes when both bars have one (a split is no move), else raw. */
export function dayChange(row: Omit<MoveRow, "symbol" | "name" | "day">): number | null {
  if (row.previous_close === null) return null;
  return row.adj_close !== null && row.previous_adj_close !== null
    ? row.adj_close / row.previous_adj_close - 1
    : row.close / row.previous_close - 1;
}

const MOVERS = 3;

/** Summarises one day's moves; null without any. Pure, for the SQL below. */
export function summariseDay(day: string, moves: readonly DayMove[]): MarketOverview | null {
  if (moves.length === 0) return null;
  const stocks = moves.filter((move) => move.symbol !== INDEX_SYMBOL);
  const byChange = stocks.toSorted((a, b) => b.change - a.change || (a.symbol < b.symbol ? -1 : 1));
  return {
    day,
    index: moves.find((move) => move.symbol === INDEX_SYMBOL) ?? null,
    advancers: stocks.filter((move) => move.change > 0).length,
    decliners: stocks.filter((move) => move.change < 0).length,
    unchanged: stocks.filter((move) => move.change === 0).length,
    gainers: byChange.filter((move) => move.change > 0).slice(0, MOVERS),
    losers: byChange.filter((move) => move.change < 0).reverse().slice(0, MOVERS),
  };
}

/** The latest equity trading day's overview; null before there are prices. */
export async function marketOverview(sql: ISql): Promise<MarketOverview | null> {
  // Each stock's latest and previous bar through the (stock_id, date) key, not a table scan.
  const rows = await sql<MoveRow[]>`
    with latest as (
      select s.id, s.symbol, s.name, last.date, last.close, last.adj_close
      from stock s
      cross join lateral (
        select b.date, b.close, b.adj_close from price_bar b
        where b.stock_id = s.id order by b.date desc limit 1
      ) last
      where s.active and s.asset_class = 'equity'
    )
    select l.symbol, l.name, to_char(l.date, 'YYYY-MM-DD') as day, l.close, l.adj_close,
      prev.close as previous_close, prev.adj_close as previous_adj_close
    from latest l
    left join lateral (
      select b.close, b.adj_close from price_bar b
      where b.stock_id = l.id and b.date < l.date order by b.date desc limit 1
    ) prev on true
    where l.date = (select max(date) from latest)`;
  const day = rows[0]?.day;
  if (day === undefined) return null;
  const moves = rows.flatMap((row) => {
    const change = dayChange(row);
    return change === null
      ? []
      : [{ symbol: row.symbol, name: row.name, close: row.close, change }];
  });
  return summariseDay(day, moves);
}
