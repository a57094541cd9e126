// The "feed" news source: RSS/Atom over HTTP with conditional GETs, so that polling a feed every
// half hour costs the publisher a 304 and us nothing when it hasn't changed.
import type { Cache, RateLimitRule } from "../cache/port.ts";
import type { FetchedPayload, ParseResult } from "../net/fetched.ts";
import { fetchBytes, type FetchDeps, type RetryPolicy } from "../net/http_fetch.ts";
import { redactUrl } from "../net/redact_url.ts";
import { parseFeed } from "./feed_parse.ts";
import type { FetchedFeed, NewsEntry, NewsFeed, NewsSource } from "./port.ts";

export interface FeedSourceOptions {
  /** Holds the per-host token buckets, shared by every process (Redis in production). */
  cache: Cache;
  /** Replaces the default per-host rate-limit rule. */
  rateLimit?: RateLimitRule;
  /** Overrides parts of the default retry policy. */
  retry?: Partial<Omit<RetryPolicy, "rateLimit">>;
  /** Larger feeds are refused (FetchError), never buffered whole. */
  maxBytes?: number;
  /** I/O seams for tests; `now` also stamps `fetchedAt`. */
  deps?: FetchDeps;
}

/** Three tries within about half a minute: a feed missed now is polled again next crawl. */
export const FEED_RETRY: Omit<RetryPolicy, "rateLimit"> = {
  attempts: 3,
  timeoutMs: 15_000,
  baseDelayMs: 1_000,
  maxDelayMs: 15_000,
};

/** Per publisher host: a burst of 2, then one request every 2 seconds (many feeds, one host). */
export const FEED_RATE_LIMIT: RateLimitRule = { capacity: 2, refillPerSecond: 0.5 };

/** Real feeds are tens to hundreds of kilobytes. */
export const MAX_FEED_BYTES = 5 * 1024 * 1024;

const MAX_RATE_WAIT_MS = 60_000;

/** What we can read, best first; some servers answer HTML to a bare "*\/*". */
const ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, " +
  "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1";

export class FeedSource implements NewsSource {
  readonly name = "feed";
  readonly #options: FeedSourceOptions;
  readonly #retry: Omit<RetryPolicy, "rateLimit">;

  constructor(options: FeedSourceOptions) {
    this.#options = options;
    this.#retry = { ...FEED_RETRY, ...options.retry };
  }

  /**
   * GETs the feed with its validators (If-None-Match / If-Modified-Since); null on 304. Throws
   * FetchError when the server fails for good (4xx, 5xx after retries, body too large).
   */
  async fetch(feed: NewsFeed, signal?: AbortSignal): Promise<FetchedFeed | null> {
    const headers = new Headers({ accept: ACCEPT });
    if (feed.etag) headers.set("if-none-match", feed.etag);
    if (feed.lastModified) headers.set("if-modified-since", feed.lastModified);
    const policy: RetryPolicy = {
      ...this.#retry,
      rateLimit: {
        cache: this.#options.cache,
        key: `ratelimit:feed:${new URL(feed.url).host}`,
        rule: this.#options.rateLimit ?? FEED_RATE_LIMIT,
        maxWaitMs: MAX_RATE_WAIT_MS,
      },
    };
    const deps = this.#options.deps ?? {};
    const fetched = await fetchBytes(
      feed.url,
      { headers, signal },
      policy,
      this.#options.maxBytes ?? MAX_FEED_BYTES,
      deps,
    );
    if (fetched.status === 304) return null;
    return {
      source: this.name,
      // Redacted like every archived URL; relative links still resolve (host and path are kept).
      url: redactUrl(feed.url),
      contentType: fetched.headers.get("content-type"),
      body: fetched.body,
      fetchedAt: new Date((deps.now ?? Date.now)()),
      // The new validators, or none: an old ETag must not outlive the representation it named.
      etag: fetched.headers.get("etag"),
      lastModified: fetched.headers.get("last-modified"),
    };
  }

  /** Pure: see lib/news/feed_parse.ts. */
  parse(payload: FetchedPayload): ParseResult<NewsEntry> {
    return parseFeed(payload);
  }
}
