// The only module that writes SQL for `news_feed`.
import type { ISql } from "postgres";
import type { NewsFeed } from "./port.ts";

/** A feed with its polling state, as the admin pages show it. */
export interface StoredFeed extends NewsFeed {
  active: boolean;
  lastFetchedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

interface FeedRow {
  id: number;
  url: string;
  title: string | null;
  stock_id: number | null;
  etag: string | null;
  last_modified: string | null;
  active: boolean;
  last_fetched_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

function toFeed(row: FeedRow): StoredFeed {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    stockId: row.stock_id,
    etag: row.etag,
    lastModified: row.last_modified,
    active: row.active,
    lastFetchedAt: row.last_fetched_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

const COLUMNS = (sql: ISql) =>
  sql`id, url, title, stock_id, etag, last_modified, active, last_fetched_at, last_error,
    created_at`;

/** Feeds in the order they were added (the crawl polls active ones). */
export async function listFeeds(
  sql: ISql,
  options: { activeOnly?: boolean } = {},
): Promise<StoredFeed[]> {
  const rows = await sql<FeedRow[]>`
    select ${COLUMNS(sql)} from news_feed
    where ${options.activeOnly ? sql`active` : sql`true`}
    order by id`;
  return rows.map(toFeed);
}

export async function getFeed(sql: ISql, id: number): Promise<StoredFeed | null> {
  const [row] = await sql<FeedRow[]>`select ${COLUMNS(sql)} from news_feed where id = ${id}`;
  return row ? toFeed(row) : null;
}

/**
 * Adds a feed; adding a URL that is already there changes nothing and returns the existing feed
 * with `created: false`. A URL that is not http(s) throws a RangeError.
 */
export async function addFeed(
  sql: ISql,
  feed: { url: string; title?: string | null; stockId?: number | null },
): Promise<{ feed: StoredFeed; created: boolean }> {
  const url = feed.url.trim();
  if (!/^https?:\/\/[^\s/]+/i.test(url)) {
    throw new RangeError(`feed URL must be http(s): ${JSON.stringify(feed.url)}`);
  }
  const [inserted] = await sql<FeedRow[]>`
    insert into news_feed (url, title, stock_id)
    values (${url}, ${feed.title?.trim() || null}, ${feed.stockId ?? null})
    on conflict (url) do nothing
    returning ${COLUMNS(sql)}`;
  if (inserted) return { feed: toFeed(inserted), created: true };
  const [existing] = await sql<FeedRow[]>`select ${COLUMNS(sql)} from news_feed where url = ${url}`;
  return { feed: toFeed(existing), created: false };
}

/** Pauses or resumes polling a feed; null when there is no such feed. */
export async function setFeedActive(
  sql: ISql,
  id: number,
  active: boolean,
): Promise<StoredFeed | null> {
  const [row] = await sql<FeedRow[]>`
    update news_feed set active = ${active} where id = ${id} returning ${COLUMNS(sql)}`;
  return row ? toFeed(row) : null;
}

/** Deletes a feed (its news stay); false when there was none. */
export async function deleteFeed(sql: ISql, id: number): Promise<boolean> {
  const rows = await sql`delete from news_feed where id = ${id} returning id`;
  return rows.length === 1;
}

/**
 * Records a poll. On success (`error` null) the new validators replace the old ones — a
 * validator the server no longer sends is kept, so a 304 answer without headers loses nothing.
 * On failure the validators stay and `error` is kept as last_error.
 */
export async function recordFeedFetch(
  sql: ISql,
  id: number,
  result: { etag: string | null; lastModified: string | null; error: string | null },
): Promise<void> {
  const failed = result.error !== null;
  await sql`
    update news_feed set
      last_fetched_at = now(),
      last_error = ${result.error},
      etag = ${failed ? sql`etag` : sql`coalesce(${result.etag}, etag)`},
      last_modified = ${
    failed ? sql`last_modified` : sql`coalesce(${result.lastModified}, last_modified)`
  }
    where id = ${id}`;
}
