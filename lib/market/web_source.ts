// What the web market sources share: their options, the retry policy built from them, and the
// fetch of one request into a payload.
import type { Cache, RateLimitRule } from "../cache/port.ts";
import type { FetchedPayload } from "../net/fetched.ts";
import { fetchPayload } from "../net/fetch_payload.ts";
import type { FetchDeps, RetryPolicy } from "../net/http_fetch.ts";

export interface WebSourceOptions {
  /** Holds the per-source token bucket, shared by every process (Redis in production). */
  cache: Cache;
  /** Scheme, host and optional path prefix of the API; tests point it at a loopback server. */
  baseUrl?: string;
  /** Replaces the source's default rate-limit rule. */
  rateLimit?: RateLimitRule;
  /** Overrides parts of the default retry policy. */
  retry?: Partial<Omit<RetryPolicy, "rateLimit">>;
  /** I/O seams for tests; `now` also decides what "today" is. */
  deps?: FetchDeps;
}

/** Four tries over about a minute at most: enough for a blip, short enough for a 30-minute crawl. */
export const DEFAULT_RETRY: Omit<RetryPolicy, "rateLimit"> = {
  attempts: 4,
  timeoutMs: 20_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** Years of daily bars are well under 1 MiB; anything far larger is not what we asked for. */
export const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** Longest wait for a rate-limit token per request before the request fails. */
const MAX_RATE_WAIT_MS = 60_000;

export class WebSource {
  readonly baseUrl: string;
  readonly #policy: RetryPolicy;
  readonly #deps: FetchDeps;

  constructor(
    readonly name: string,
    options: WebSourceOptions,
    defaults: { baseUrl: string; rateLimit: RateLimitRule },
  ) {
    this.baseUrl = (options.baseUrl ?? defaults.baseUrl).replace(/\/+$/, "");
    this.#deps = options.deps ?? {};
    this.#policy = {
      ...DEFAULT_RETRY,
      ...options.retry,
      rateLimit: {
        cache: options.cache,
        key: `ratelimit:source:${name}`,
        rule: options.rateLimit ?? defaults.rateLimit,
        maxWaitMs: MAX_RATE_WAIT_MS,
      },
    };
  }

  /** Milliseconds now, from the injected clock when there is one. */
  now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  /** GETs `path` (with its query) under the base URL into a payload of this source. */
  get(path: string, headers: HeadersInit, signal?: AbortSignal): Promise<FetchedPayload> {
    return fetchPayload({
      source: this.name,
      url: `${this.baseUrl}${path}`,
      policy: this.#policy,
      maxBytes: MAX_PAYLOAD_BYTES,
      headers,
      signal,
      deps: this.#deps,
    });
  }
}
