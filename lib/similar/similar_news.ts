// Similar past news, as of an instant: the news most like a text (or like a stored news item),
// each with what its stock did afterwards. Predictions cite these, and replays must see exactly
// what a live run would have seen at the time (DESIGN §5), so every step is point in time:
// - the vector search only considers items with published_at < asOf (strictly: an item published
//   at asOf itself is not yet known);
// - the hits are re-checked in SQL (published_at < asOf, publication time not estimated, still
//   linked to the asked stock) before anything is returned: a stale or mis-filtered vector never
//   leaks a future item;
// - the returns after each item only use bars that had closed by asOf.
import type { ISql, Sql } from "postgres";
import { NEWS_COLLECTION, newsText } from "../embed/embed_news.ts";
import { type Embedder, embedProblem } from "../embed/port.ts";
import { BadRequest, NotFound } from "../http/errors.ts";
import { getStock } from "../stocks/store.ts";
import { normalizeSymbol } from "../stocks/symbol.ts";
import { MAX_K, type VectorHit, type VectorStore } from "../vectors/port.ts";

export const MAX_SIMILAR_K = 50;
/** Hits asked of the vector store per result wanted: room for the ones SQL re-checks drop. */
const OVER_FETCH = 3;
/** When too many hits were dropped, ask again for this many times more, up to `MAX_FETCH`. */
const WIDEN = 4;
const MAX_FETCH = Math.min(MAX_K, 2_000);
const MAX_ROUNDS = 3;

export interface SimilarNewsPorts {
  sql: Sql;
  vectors: VectorStore;
  embedder: Embedder;
}

export interface SimilarNewsQuery {
  /** Find news like this text… */
  text?: string;
  /** …or like this stored news item (its title and summary); the item itself is left out. */
  newsId?: number;
  /** Only news published strictly before this instant, and only returns realised by it. */
  asOf: Date;
  /** How many results at most: 1 to 50. */
  k: number;
  /** Only news linked to this stock; returns are then this stock's. */
  symbol?: string;
}

export interface SimilarNews {
  id: number;
  title: string;
  url: string;
  source: string;
  publishedAt: Date;
  /** Cosine similarity to the query, -1 to 1. */
  score: number;
  /**
   * The stock the returns are about: the query's symbol when given, else the item's best-matched
   * stock; null when the item is linked to no stock.
   */
  symbol: string | null;
  /**
   * The stock's return from the first close after the news to the close 1 (5) trading days later
   * (adjusted closes when both bars have one); null when those bars had not closed by asOf.
   */
  return1d: number | null;
  return5d: number | null;
}

/**
 * The `k` news items most similar to `query.text` or to news item `query.newsId`, best first
 * (ties: smaller id first), published strictly before `query.asOf`. Throws BadRequest for an
 * invalid query, NotFound for an unknown news item or stock.
 */
export async function findSimilarNews(
  ports: SimilarNewsPorts,
  query: SimilarNewsQuery,
): Promise<SimilarNews[]> {
  const { sql, vectors, embedder } = ports;
  const { asOf, k, newsId } = query;
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) {
    throw new BadRequest("asOf must be a valid instant");
  }
  if (!Number.isInteger(k) || k < 1 || k > MAX_SIMILAR_K) {
    throw new BadRequest(`k must be an integer from 1 to ${MAX_SIMILAR_K}`);
  }
  if ((query.text === undefined) === (newsId === undefined)) {
    throw new BadRequest("give either a text or a news id to compare with");
  }
  if (newsId !== undefined && (!Number.isSafeInteger(newsId) || newsId < 1)) {
    throw new BadRequest("newsId must be a positive integer");
  }
  let stock: { id: number; symbol: string } | null = null;
  if (query.symbol !== undefined) {
    const symbol = normalizeSymbol(query.symbol);
    if (symbol === null) throw new BadRequest(`not a ticker symbol: ${query.symbol}`);
    stock = await getStock(sql, symbol);
    if (!stock) throw new NotFound(`no stock ${symbol}`);
  }

  let text = query.text;
  if (newsId !== undefined) {
    const item = await newsTextOf(sql, newsId);
    if (item === null) throw new NotFound(`no news item ${newsId}`);
    text = newsText(item);
  }
  const problem = embedProblem(text ?? "");
  if (problem !== null) throw new BadRequest(`the text cannot be searched for: ${problem}`);
  const { vectors: [vector] } = await embedder.embed([text ?? ""]);

  await vectors.ensureCollection(NEWS_COLLECTION, embedder.dimension, embedder.id);
  // Ask for more hits than wanted: the SQL re-check may drop some (and the query item itself).
  let fetch = Math.min(MAX_FETCH, k * OVER_FETCH + (newsId === undefined ? 0 : 1));
  let results: SimilarNews[] = [];
  for (let round = 1;; round++) {
    const hits = await vectors.search(NEWS_COLLECTION, vector, {
      k: fetch,
      publishedBefore: asOf.getTime(),
      symbols: stock ? [stock.symbol] : undefined,
    });
    const others = hits.filter((hit) => hit.id !== newsId);
    results = await hydrate(sql, others, asOf, stock?.id ?? null);
    const exhausted = hits.length < fetch; // the store has no more candidates to give
    if (results.length >= k || exhausted || fetch >= MAX_FETCH || round >= MAX_ROUNDS) break;
    fetch = Math.min(MAX_FETCH, fetch * WIDEN);
  }
  return results.slice(0, k);
}

/**
 * The return from the first bar's close to the close `steps` bars later. Adjusted closes when
 * both bars have one (mixing an adjusted and a raw close would count a split as a return), raw
 * closes otherwise; null when there are not enough bars.
 */
export function forwardReturn(
  closes: readonly number[],
  adjCloses: readonly (number | null)[],
  steps: number,
): number | null {
  if (closes.length <= steps) return null;
  const entry = adjCloses[0];
  const exit = adjCloses[steps];
  if (entry != null && exit != null) return exit / entry - 1;
  return closes[steps] / closes[0] - 1;
}

// ---------------------------------------------------------------------------------------------
// SQL

async function newsTextOf(
  sql: ISql,
  id: number,
): Promise<{ title: string; summary: string | null } | null> {
  const [row] = await sql<{ title: string; summary: string | null }[]>`
    select title, summary from news where id = ${id}`;
  return row ?? null;
}

interface HydratedRow {
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

/** The hits that pass the point-in-time re-check, in hit order, with their stock and returns. */
async function hydrate(
  sql: ISql,
  hits: VectorHit[],
  asOf: Date,
  stockId: number | null,
): Promise<SimilarNews[]> {
  if (hits.length === 0) return [];
  // With a stock asked for, the item must (still) be linked to it; otherwise its best match.
  const link = sql`
    select s.id as stock_id, s.symbol
    from news_stock ns join stock s on s.id = ns.stock_id
    where ns.news_id = n.id and ${stockId === null ? sql`true` : sql`s.id = ${stockId}`}
    order by ns.score desc, s.symbol
    limit 1`;
  const rows = await sql<HydratedRow[]>`
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
    where n.id = any(${hits.map((hit) => hit.id)}::bigint[])
      -- Defence in depth: the vector store filtered on publishedBefore already.
      and n.published_at < ${asOf}
      and not n.published_at_estimated`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const results: SimilarNews[] = [];
  for (const hit of hits) {
    const row = byId.get(hit.id);
    if (!row) continue;
    const bars = row.bars ?? [];
    const closes = bars.map(([close]) => close);
    const adjCloses = bars.map(([, adjClose]) => adjClose);
    results.push({
      id: row.id,
      title: row.title,
      url: row.url,
      source: row.source,
      publishedAt: row.published_at,
      score: hit.score,
      symbol: row.symbol,
      return1d: forwardReturn(closes, adjCloses, 1),
      return5d: forwardReturn(closes, adjCloses, 5),
    });
  }
  return results;
}
