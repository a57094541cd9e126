import type { FetchedPayload, ParseResult } from "../net/fetched.ts";

/** A feed to poll: a row of `news_feed`. */
export interface NewsFeed {
  id: number;
  url: string;
  title: string | null;
  /** Set for per-ticker feeds: every item is about this stock. */
  stockId: number | null;
  etag: string | null;
  lastModified: string | null;
}

/** One feed item as parsed: text cleaned, URL canonical, time in UTC. */
export interface NewsEntry {
  /** Canonical URL (tracking parameters removed). */
  url: string;
  title: string;
  /** Plain text (HTML stripped), or null. */
  summary: string | null;
  /** UTC instant; null when the feed gave no usable date (the loader falls back to fetched_at). */
  publishedAt: Date | null;
  /** Publisher name (feed title or host). */
  source: string;
  language: string | null;
  /** Tickers the source itself tagged (a per-ticker feed, a cashtag, a ticker column). */
  symbols: string[];
}

export interface NewsSource {
  readonly name: string;
  /** Conditional GET with the feed's validators; null when the feed is unchanged (304). */
  fetch(feed: NewsFeed, signal?: AbortSignal): Promise<FetchedFeed | null>;
  /** Pure: payload → entries; a payload that is not RSS or Atom throws PayloadError. */
  parse(payload: FetchedPayload): ParseResult<NewsEntry>;
}

export interface FetchedFeed extends FetchedPayload {
  etag: string | null;
  lastModified: string | null;
}
