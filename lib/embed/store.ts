// The SQL of the embed job: which news still needs a vector, and the marks (`news.embedded_with`,
// `news.embedded_at`, DESIGN §4) that record which embedder's vector the vector store holds.
//
// Marks:
// - `embedded_with = <embedder id>`: the vector store's collection of that embedder holds this
//   item's vector.
// - `embedded_with = <embedder id>#unembeddable`: that embedder refuses the item's text (empty or
//   invisible, lib/embed/port.ts): there is no vector, and the job does not try again until the
//   embedder changes or a rebuild clears the marks. No embedder id contains "#" followed by this
//   word, so the marker can't be mistaken for a real embedder.
// - null: not embedded (new, or cleared by a rebuild or a reconcile repair).
// News whose publication time is estimated (`published_at_estimated`) is never selected: without
// a trustworthy timestamp it could leak into a point-in-time search, so it is never indexed.
import type { ISql } from "postgres";

/** The suffix of the mark for news an embedder refuses. */
export const UNEMBEDDABLE_SUFFIX = "#unembeddable";

/** The mark of news that `embedderId` refuses to embed. */
export function unembeddableMark(embedderId: string): string {
  return `${embedderId}${UNEMBEDDABLE_SUFFIX}`;
}

/** A news item waiting for a vector of the current embedder. */
export interface PendingNews {
  id: number;
  title: string;
  summary: string | null;
  publishedAt: Date;
  /** Linked stock symbols, best match first (at most `MAX_SYMBOLS_PER_ITEM`). */
  symbols: string[];
}

/** The vector store keeps at most 256 symbols per item (lib/vectors/port.ts MAX_SYMBOLS). */
export const MAX_SYMBOLS_PER_ITEM = 256;

interface PendingRow {
  id: number;
  title: string;
  summary: string | null;
  published_at: Date;
  symbols: string[];
}

/**
 * The embed job's work list as a condition on `news`: neither embedded by `embedderId` nor
 * refused by it, and with a trustworthy publication time.
 */
function needsVector(sql: ISql, embedderId: string) {
  return sql`embedded_with is distinct from ${embedderId}
    and embedded_with is distinct from ${unembeddableMark(embedderId)}
    and not published_at_estimated`;
}

/** How many news items still wait for a vector of `embedderId` (progress, /metrics). */
export async function pendingNewsCount(sql: ISql, embedderId: string): Promise<number> {
  const [row] = await sql<{ pending: number }[]>`
    select count(*)::float8 as pending from news where ${needsVector(sql, embedderId)}`;
  return row.pending;
}

/**
 * Up to `limit` news items, by ascending id after `afterId`, that still need a vector of
 * `embedderId` (`needsVector`). Keyset
 * (`afterId`), not offset: marking rows between calls never shifts or skips any.
 */
export async function pendingNewsBatch(
  sql: ISql,
  embedderId: string,
  options: { afterId: number; limit: number },
): Promise<PendingNews[]> {
  const rows = await sql<PendingRow[]>`
    select n.id, n.title, n.summary, n.published_at,
      array(
        select s.symbol from news_stock ns join stock s on s.id = ns.stock_id
        where ns.news_id = n.id order by ns.score desc, s.symbol
        limit ${MAX_SYMBOLS_PER_ITEM}
      ) as symbols
    from news n
    where n.id > ${options.afterId} and ${needsVector(sql, embedderId)}
    order by n.id
    limit ${options.limit}`;
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    summary: row.summary,
    publishedAt: row.published_at,
    symbols: row.symbols,
  }));
}

async function setMark(sql: ISql, ids: number[], mark: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await sql`
    update news set embedded_with = ${mark}, embedded_at = now()
    where id = any(${ids}::bigint[])`;
  return result.count;
}

/** Marks these news items as embedded by `embedderId`, now: one statement. Returns rows changed. */
export function markEmbedded(sql: ISql, ids: number[], embedderId: string): Promise<number> {
  return setMark(sql, ids, embedderId);
}

/** Marks these news items as refused by `embedderId`, so no run tries them again. */
export function markUnembeddable(sql: ISql, ids: number[], embedderId: string): Promise<number> {
  return setMark(sql, ids, unembeddableMark(embedderId));
}

/** Clears every news item's mark (before a full re-embed): one statement. Returns rows changed. */
export async function clearEmbeddings(sql: ISql): Promise<number> {
  const result = await sql`
    update news set embedded_with = null, embedded_at = null where embedded_with is not null`;
  return result.count;
}

/**
 * Clears the marks of these news items if they still carry `embedderId`'s mark (their vector
 * went missing), so that the next embed run embeds them again. Returns rows changed.
 */
export async function clearEmbeddedMarks(
  sql: ISql,
  ids: number[],
  embedderId: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await sql`
    update news set embedded_with = null, embedded_at = null
    where id = any(${ids}::bigint[]) and embedded_with = ${embedderId}`;
  return result.count;
}

/**
 * Ids of the news items marked as embedded by `embedderId` (the ones whose vector the store must
 * hold), ascending, in batches of at most `batchSize`: for reconciling with the vector store.
 * News with an estimated publication time is left out: it must never have a vector.
 */
export async function* embeddedIds(
  sql: ISql,
  embedderId: string,
  batchSize = 1_000,
): AsyncIterable<number[]> {
  let afterId = 0;
  while (true) {
    const rows = await sql<{ id: number }[]>`
      select id from news
      where embedded_with = ${embedderId} and not published_at_estimated and id > ${afterId}
      order by id
      limit ${batchSize}`;
    if (rows.length === 0) return;
    yield rows.map((row) => row.id);
    if (rows.length < batchSize) return;
    afterId = rows[rows.length - 1].id;
  }
}
