// Similar past news, as of an instant: the news most like a text (or like a stored news item),
// each with what its stock did afterwards. Predictions cite these, and replays must see exactly
// what a live run would have seen at the time (DESIGN §5), so every step is point in time:
// - the vector search only considers items with published_at < asOf (strictly: an item published
//   at asOf itself is not yet known);
// - the hits are re-checked in SQL (published_at < asOf, publication time not estimated, still
//   linked to the asked stock) before anything is returned: a stale or mis-filtered vector never
//   leaks a future item;
// - the returns after each item only use bars that had closed by asOf;
// - an asOf in the future counts as now: news dated in the future (a bad clock, a typo in a feed)
//   is not yet known to anyone, so no search path ever returns it.
import type { Sql } from "postgres";
import { NEWS_COLLECTION, newsText } from "../embed/embed_news.ts";
import { type Embedder, embedProblem } from "../embed/port.ts";
import { BadRequest, NotFound } from "../http/errors.ts";
import { getStock } from "../stocks/store.ts";
import { normalizeSymbol } from "../stocks/symbol.ts";
import { newsKnownAt, newsTextOf } from "./store.ts";
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

/** The instant a search as of `asOf` is made at: `asOf`, or now when `asOf` lies in the future. */
export function knownAsOf(asOf: Date, now = Date.now()): Date {
  return asOf.getTime() > now ? new Date(now) : asOf;
}

/**
 * The `k` news items most similar to `query.text` or to news item `query.newsId`, best first
 * (ties: smaller id first), published strictly before `query.asOf` (or now, if that is earlier). Throws BadRequest for an
 * invalid query, NotFound for an unknown news item or stock.
 */
export async function findSimilarNews(
  ports: SimilarNewsPorts,
  query: SimilarNewsQuery,
): Promise<SimilarNews[]> {
  const { sql, vectors, embedder } = ports;
  const { k, newsId } = query;
  if (!(query.asOf instanceof Date) || Number.isNaN(query.asOf.getTime())) {
    throw new BadRequest("asOf must be a valid instant");
  }
  const asOf = knownAsOf(query.asOf);
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

/** The hits that pass the point-in-time re-check, in hit order, with their stock and returns. */
async function hydrate(
  sql: Sql,
  hits: VectorHit[],
  asOf: Date,
  stockId: number | null,
): Promise<SimilarNews[]> {
  const rows = await newsKnownAt(sql, hits.map((hit) => hit.id), asOf, stockId);
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
