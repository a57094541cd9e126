// The only module that writes SQL for `news` and `news_stock`.
import type { ISql, Sql } from "postgres";
import { normalizeSymbol } from "../stocks/symbol.ts";
import type { NewsEntry } from "./port.ts";

/** A stock a news item is about, as matching found it. */
export interface NewsMatch {
  stockId: number;
  /** 0–1. */
  score: number;
  /** The symbol, name or alias that matched (or "tag" for a source's own ticker tag). */
  matchedOn: string | null;
}

/** One parsed item ready to store. */
export interface NewsToStore {
  entry: NewsEntry;
  fetchedAt: Date;
  /** Where the raw payload sits in the raw archive, if it was archived. */
  rawRef: string | null;
  /** lib/news/content_hash.ts of the entry: the same story under two URLs is stored once. */
  contentHash: string;
  matches: NewsMatch[];
}

export interface UpsertNewsResult {
  inserted: number;
  /** Items already stored (same URL or same content hash), in this call or before. */
  duplicates: number;
  /** news_stock links added (also to duplicates: a story can gain stocks later). */
  linked: number;
  /** The stored news id of each item, in the order given. */
  ids: number[];
}

/** A stored news item with the symbols it is linked to (best match first). */
export interface StoredNews {
  id: number;
  url: string;
  title: string;
  summary: string | null;
  source: string;
  language: string | null;
  publishedAt: Date;
  /** The source gave no usable date: publishedAt is when we fetched it. */
  publishedAtEstimated: boolean;
  fetchedAt: Date;
  rawRef: string | null;
  contentHash: string;
  symbols: string[];
}

/** A stock's news item with how well it matched. */
export interface StockNews extends StoredNews {
  score: number;
  matchedOn: string | null;
}

/** Keyset position: list the items strictly after this one in newest-first order. */
export interface NewsCursor {
  publishedAt: Date;
  id: number;
}

function check(items: NewsToStore[]): void {
  items.forEach(({ entry, contentHash }, index) => {
    const problem = !/^https?:\/\//.test(entry.url)
      ? `url ${JSON.stringify(entry.url)} is not http(s)`
      : !contentHash
      ? "empty content hash"
      : !entry.source.trim()
      ? "empty source"
      : null;
    if (problem) throw new RangeError(`news item ${index + 1}: ${problem}`);
  });
}

/**
 * Stores news in one transaction. An item whose URL or content hash is already stored (or
 * appears earlier in `items`) is a duplicate: nothing about it is rewritten, but its matches
 * are linked to the stored item. `published_at` is the entry's date, or `fetchedAt` with
 * `published_at_estimated` when the entry has none.
 */
export async function upsertNews(sql: Sql, items: NewsToStore[]): Promise<UpsertNewsResult> {
  check(items);
  if (items.length === 0) return { inserted: 0, duplicates: 0, linked: 0, ids: [] };
  const column = <T>(pick: (item: NewsToStore) => T) => items.map(pick);
  return await sql.begin(async (tx) => {
    // No conflict target: `do nothing` covers both unique keys (url and content_hash).
    const inserted = await tx`
      insert into news (url, content_hash, title, summary, source, language, published_at,
        published_at_estimated, fetched_at, raw_ref)
      select * from unnest(
        ${column((item) => item.entry.url)}::text[],
        ${column((item) => item.contentHash)}::text[],
        ${column((item) => item.entry.title)}::text[],
        ${column((item) => item.entry.summary)}::text[],
        ${column((item) => item.entry.source)}::text[],
        ${column((item) => item.entry.language)}::text[],
        ${
      column((item) => (item.entry.publishedAt ?? item.fetchedAt).toISOString())
    }::timestamptz[],
        -- Booleans travel as text: postgres.js would serialise strings for a bool[] as false.
        ${column((item) => String(item.entry.publishedAt === null))}::text[]::boolean[],
        ${column((item) => item.fetchedAt.toISOString())}::timestamptz[],
        ${column((item) => item.rawRef)}::text[]
      )
      on conflict do nothing
      returning id`;
    const stored = await tx<{ id: number; url: string; content_hash: string }[]>`
      select id, url, content_hash from news
      where url = any(${column((item) => item.entry.url)}::text[])
        or content_hash = any(${column((item) => item.contentHash)}::text[])`;
    const byUrl = new Map(stored.map((row) => [row.url, row.id]));
    const byHash = new Map(stored.map((row) => [row.content_hash, row.id]));
    const ids = items.map((item) => byUrl.get(item.entry.url) ?? byHash.get(item.contentHash)!);

    // One link per (news, stock): the best score wins when several items or matches repeat it.
    const links = new Map<string, { newsId: number } & NewsMatch>();
    items.forEach((item, index) => {
      for (const match of item.matches) {
        const key = `${ids[index]}:${match.stockId}`;
        const known = links.get(key);
        if (!known || match.score > known.score) links.set(key, { newsId: ids[index], ...match });
      }
    });
    const all = [...links.values()];
    const linked = all.length === 0 ? [] : await tx`
      insert into news_stock (news_id, stock_id, score, matched_on)
      select * from unnest(
        ${all.map((link) => link.newsId)}::bigint[], ${all.map((link) => link.stockId)}::bigint[],
        ${all.map((link) => link.score)}::float8[], ${all.map((link) => link.matchedOn)}::text[]
      )
      on conflict (news_id, stock_id) do nothing
      returning id`;
    return {
      inserted: inserted.length,
      duplicates: items.length - inserted.length,
      linked: linked.length,
      ids,
    };
  });
}

interface NewsRow {
  id: number;
  url: string;
  title: string;
  summary: string | null;
  source: string;
  language: string | null;
  published_at: Date;
  published_at_estimated: boolean;
  fetched_at: Date;
  raw_ref: string | null;
  content_hash: string;
  symbols: string[];
}

/** The columns of a NewsRow from `news n`, with its linked symbols (best match first). */
const NEWS_COLUMNS = (sql: ISql) =>
  sql`n.id, n.url, n.title, n.summary, n.source, n.language, n.published_at,
    n.published_at_estimated, n.fetched_at, n.raw_ref, n.content_hash,
    array(
      select s.symbol from news_stock ns join stock s on s.id = ns.stock_id
      where ns.news_id = n.id order by ns.score desc, s.symbol
    ) as symbols`;

function toNews(row: NewsRow): StoredNews {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    summary: row.summary,
    source: row.source,
    language: row.language,
    publishedAt: row.published_at,
    publishedAtEstimated: row.published_at_estimated,
    fetchedAt: row.fetched_at,
    rawRef: row.raw_ref,
    contentHash: row.content_hash,
    symbols: row.symbols,
  };
}

/** `text` as a LIKE pattern matching it anywhere, with LIKE's wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export interface ListNewsOptions {
  /** Only news linked to this stock. */
  symbol?: string;
  /** published_at >= from. */
  from?: Date;
  /** published_at <= to. */
  to?: Date;
  /** Case-insensitive substring of the title or summary. */
  q?: string;
  limit: number;
  /** The last item of the previous page. */
  before?: NewsCursor;
}

/**
 * News newest first (published_at, then id), paginated by keyset: pass the last item of a page
 * as `before` to get the next one; items added meanwhile never shift or repeat a page.
 */
export async function listNews(sql: ISql, options: ListNewsOptions): Promise<StoredNews[]> {
  const { from, to, before } = options;
  const symbol = options.symbol === undefined ? undefined : normalizeSymbol(options.symbol) ?? "";
  const q = options.q?.trim() ? containsPattern(options.q.trim()) : undefined;
  const conditions = [
    symbol === undefined ? sql`true` : sql`n.id in (
      select ns.news_id from news_stock ns join stock s on s.id = ns.stock_id
      where s.symbol = ${symbol})`,
    from === undefined ? sql`true` : sql`n.published_at >= ${from}`,
    to === undefined ? sql`true` : sql`n.published_at <= ${to}`,
    q === undefined ? sql`true` : sql`(n.title ilike ${q} or n.summary ilike ${q})`,
    before === undefined
      ? sql`true`
      : sql`(n.published_at, n.id) < (${before.publishedAt}::timestamptz, ${before.id}::bigint)`,
  ];
  const rows = await sql<NewsRow[]>`
    select ${NEWS_COLUMNS(sql)}
    from news n
    where ${conditions.reduce((all, condition) => sql`${all} and ${condition}`)}
    order by n.published_at desc, n.id desc
    limit ${options.limit}`;
  return rows.map(toNews);
}

/**
 * A stock's news newest first, with match scores. Point in time: `publishedBefore` keeps only
 * items published strictly before that instant.
 */
export async function newsForStock(
  sql: ISql,
  stockId: number,
  options: { publishedBefore?: Date; limit: number },
): Promise<StockNews[]> {
  const { publishedBefore } = options;
  const rows = await sql<(NewsRow & { score: number; matched_on: string | null })[]>`
    select ${NEWS_COLUMNS(sql)}, link.score, link.matched_on
    from news_stock link join news n on n.id = link.news_id
    where link.stock_id = ${stockId}
      and ${publishedBefore === undefined ? sql`true` : sql`n.published_at < ${publishedBefore}`}
    order by n.published_at desc, n.id desc
    limit ${options.limit}`;
  return rows.map((row) => ({ ...toNews(row), score: row.score, matchedOn: row.matched_on }));
}

/** When the newest item from `source` (a publisher name) was published, or null. */
export async function latestPublishedAt(sql: ISql, source: string): Promise<Date | null> {
  const [row] = await sql<{ latest: Date | null }[]>`
    select max(published_at) as latest from news where source = ${source}`;
  return row.latest;
}

/**
 * A stock's news as a model may see it as of `asOf` (DESIGN §5), newest first: published at or
 * before `asOf` and after `since`. Live (`fetchedBy`), also fetched by `asOf` — what the system
 * had really seen — and items with an estimated time count (their estimate is the fetch time).
 * In replays an estimated time is no evidence of when the news was known, so those are left out.
 */
export async function newsKnownAsOf(
  sql: ISql,
  stockId: number,
  options: { asOf: Date; since: Date; limit: number; live: boolean },
): Promise<StoredNews[]> {
  const { asOf, since, live } = options;
  const rows = await sql<NewsRow[]>`
    select ${NEWS_COLUMNS(sql)}
    from news_stock link join news n on n.id = link.news_id
    where link.stock_id = ${stockId}
      and n.published_at <= ${asOf} and n.published_at > ${since}
      and ${live ? sql`n.fetched_at <= ${asOf}` : sql`not n.published_at_estimated`}
    order by n.published_at desc, n.id desc
    limit ${options.limit}`;
  return rows.map(toNews);
}
