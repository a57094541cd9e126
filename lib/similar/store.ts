// The SQL of similar-news search: the text of a stored item, and the point-in-time re-check of
// vector hits with the bars that closed after each item (similar_news.ts turns them into returns).
import type { ISql } from "postgres";

/** A stored news item's title and summary, or null when there is no such item. */
export async function newsTextOf(
  sql: ISql,
  id: number,
): Promise<{ title: string; summary: string | null } | null> {
  const [row] = await sql<{ title: string; summary: string | null }[]>`
    select title, summary from news where id = ${id}`;
  return row ?? null;
}

/** A vector hit as SQL confirms it: published before as-of, with its stock and later bars. */
export interface KnownNewsRow {
  id: number;
  title: string;
  url: string;
  source: string;
  published_at: Date;
  symbol: string | null;
  /**
   * Up to 6 bars from the first close after the news, oldest first, all closed by asOf, as
   * [close, adj_close] (JSON: postgres.js reads a null inside a float8[] as NaN).
   */
  bars: [number, number | null][] | null;
}

/**
 * The news items among `ids` that were known at `asOf` — published strictly before it, with a
 * trustworthy publication time, and (with `stockId`) still linked to that stock — each with its
 * stock (the asked one, else its best match) and the bars after it that had closed by `asOf`.
 * Unordered: callers keep their hit order.
 */
export async function newsKnownAt(
  sql: ISql,
  ids: number[],
  asOf: Date,
  stockId: number | null,
): Promise<KnownNewsRow[]> {
  if (ids.length === 0) return [];
  // With a stock asked for, the item must (still) be linked to it; otherwise its best match.
  const link = sql`
    select s.id as stock_id, s.symbol
    from news_stock ns join stock s on s.id = ns.stock_id
    where ns.news_id = n.id and ${stockId === null ? sql`true` : sql`s.id = ${stockId}`}
    order by ns.score desc, s.symbol
    limit 1`;
  return await sql<KnownNewsRow[]>`
    select n.id, n.title, n.url, n.source, n.published_at, m.symbol, b.bars
    from news n
    ${stockId === null ? sql`left join` : sql`join`} lateral (${link}) m on true
    left join lateral (
      -- Entry: the first bar that closed after the news; then the next five. Only bars closed by
      -- asOf: a prediction as of T must not see a return realised after T. A news item from
      -- T minus one day would otherwise show its 5-day aftermath, four days of which lie in the
      -- very future being predicted (often for the same stock); the return appears only once
      -- its last bar has closed by asOf, and is null until then.
      -- The date bound lets the (stock_id, date) index start near the news: a bar dated d closes
      -- by d + 1 day 00:00 UTC in every market we hold, so earlier bars closed before the news.
      select json_agg(json_build_array(bar.close, bar.adj_close) order by bar.date) as bars
      from (
        select p.date, p.close, p.adj_close from price_bar p
        where p.stock_id = m.stock_id
          and p.date >= (n.published_at at time zone 'UTC')::date - 2
          and p.closed_at > n.published_at
          and p.closed_at <= ${asOf}
        order by p.date
        limit 6
      ) bar
    ) b on true
    where n.id = any(${ids}::bigint[])
      -- Defence in depth: the vector store filtered on publishedBefore already.
      and n.published_at < ${asOf}
      and not n.published_at_estimated`;
}
