// Outbound HTTP for the ingestion sources: a per-attempt timeout, retries with backoff on transient
// failures, a rate limit shared by every process polling the same source, and one error type.
import type { Cache, RateLimitRule } from "../cache/port.ts";
import { readStreamLimited } from "./read_limited.ts";
import { redactUrl } from "./redact_url.ts";
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "./retry_timing.ts";

/** Sent unless the caller sets its own: data providers can see who is polling them. */
export const USER_AGENT = "Craveny/0.1 (open-source stock-insight platform; daily data ingestion)";

/** A token bucket in the cache, shared across processes, taken before every request. */
export interface SourceRateLimit {
  cache: Cache;
  /** Bucket name, e.g. "ratelimit:source:yahoo". */
  key: string;
  rule: RateLimitRule;
  /** Longest total wait for a token before giving up on the request. */
  maxWaitMs: number;
}

export interface RetryPolicy {
  /** Requests in all, the first one included (1: never retry). */
  attempts: number;
  /** Per attempt, from sending the request until its body has been read. */
  timeoutMs: number;
  /** Backoff ceiling before the first retry; it doubles for each further retry. */
  baseDelayMs: number;
  /** Cap on any single wait, whether backoff or a server's Retry-After. */
  maxDelayMs: number;
  rateLimit?: SourceRateLimit;
}

/** I/O seams: tests inject these instead of sleeping or touching the network. */
export interface FetchDeps {
  fetch?: typeof fetch;
  /** Waits `ms`; rejects with the signal's reason when it aborts first. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1): the backoff jitter. */
  random?: () => number;
  /** Milliseconds clock: Retry-After dates are relative to it. */
  now?: () => number;
}

/** The request failed for good: the URL (secrets redacted), the last status and how many tries. */
export class FetchError extends Error {
  constructor(
    readonly url: string,
    /** Last HTTP status, or null when no response arrived (network error, timeout, rate limit). */
    readonly status: number | null,
    readonly attempts: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "FetchError";
  }
}

/** A response body larger than the caller accepts: it is never buffered whole. */
export class BodyTooLarge extends Error {
  constructor(readonly url: string, readonly maxBytes: number) {
    super(`response body from ${url} exceeds ${maxBytes} bytes`);
    this.name = "BodyTooLarge";
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Fetches `url`, retrying network errors, timeouts, 429 and 5xx; any other status of 400 or more
 * fails at once. Meant for idempotent requests (GET, HEAD): a retried POST could act twice. Returns the first response below 400 with its body unread: the attempt's timeout
 * keeps running while the caller reads it. Throws `FetchError` on giving up, and the caller's
 * abort reason when `init.signal` aborts.
 */
export function fetchWithRetry(
  url: string | URL,
  init: RequestInit,
  policy: RetryPolicy,
  deps: FetchDeps = {},
): Promise<Response> {
  return retrying(url, init, policy, deps, (response) => Promise.resolve(response));
}

export interface FetchedBytes {
  status: number;
  headers: Headers;
  body: Uint8Array;
  attempts: number;
}

/**
 * `fetchWithRetry` that also reads the body (at most `maxBytes`) within each attempt, so that a
 * connection cut or a stall mid-body is retried like any other transient failure.
 */
export function fetchBytes(
  url: string | URL,
  init: RequestInit,
  policy: RetryPolicy,
  maxBytes: number,
  deps: FetchDeps = {},
): Promise<FetchedBytes> {
  return retrying(url, init, policy, deps, async (response, attempts) => ({
    status: response.status,
    headers: response.headers,
    body: await readBodyLimited(response, maxBytes),
    attempts,
  }));
}

/** The whole body, or `BodyTooLarge` as soon as it (or its declared length) passes `maxBytes`. */
export async function readBodyLimited(
  response: Response,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const shown = redactUrl(response.url || "about:blank");
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLarge(shown, maxBytes);
  }
  if (response.body === null) return new Uint8Array(0);
  return readStreamLimited(response.body, maxBytes, () => new BodyTooLarge(shown, maxBytes));
}

/** What one attempt came to when it did not succeed but may be retried. */
interface Transient {
  status: number | null;
  /** The server's Retry-After, when it gave one. */
  retryAfterMs: number | null;
  reason: string;
  cause?: unknown;
}

async function retrying<T>(
  url: string | URL,
  init: RequestInit,
  policy: RetryPolicy,
  deps: FetchDeps,
  read: (response: Response, attempts: number) => Promise<T>,
): Promise<T> {
  const target = new URL(url).href; // a malformed URL is a bug, not a network error: throw now
  const shown = redactUrl(target);
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;
  const caller = init.signal ?? undefined;
  const headers = new Headers(init.headers);
  if (!headers.has("user-agent")) headers.set("user-agent", USER_AGENT);
  const method = init.method ?? "GET";

  for (let attempt = 1;; attempt++) {
    caller?.throwIfAborted();
    if (policy.rateLimit) await takeSlot(policy.rateLimit, shown, attempt - 1, sleep, caller);
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    let transient: Transient;
    try {
      const response = await doFetch(target, { ...init, headers, signal });
      if (response.status < 400) {
        try {
          return await read(response, attempt);
        } catch (error) {
          if (!(error instanceof BodyTooLarge)) throw error;
          const message = `${method} ${shown}: body exceeds ${error.maxBytes} bytes`;
          throw new FetchError(shown, response.status, attempt, message, { cause: error });
        }
      }
      if (!isRetryableStatus(response.status)) {
        const detail = await snippet(response);
        throw new FetchError(
          shown,
          response.status,
          attempt,
          `${method} ${shown}: HTTP ${response.status}${detail ? `: ${detail}` : ""}`,
        );
      }
      await response.body?.cancel().catch(() => {});
      transient = {
        status: response.status,
        retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after"), now()),
        reason: `HTTP ${response.status}`,
      };
    } catch (error) {
      if (caller?.aborted) throw caller.reason;
      if (error instanceof FetchError) throw error;
      if (!isNetworkFailure(error)) throw error;
      transient = {
        status: null,
        retryAfterMs: null,
        reason: timeout.aborted ? `timed out after ${policy.timeoutMs} ms` : describe(error),
        cause: error,
      };
    }
    if (attempt >= policy.attempts) {
      throw new FetchError(
        shown,
        transient.status,
        attempt,
        `${method} ${shown} failed after ${attempt} attempt${attempt === 1 ? "" : "s"}: ` +
          transient.reason,
        { cause: transient.cause },
      );
    }
    const wait = transient.retryAfterMs ??
      backoffDelayMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
    await sleep(Math.min(wait, policy.maxDelayMs), caller);
  }
}

/** Waits for a token of the source's bucket, at most `maxWaitMs` in all. */
async function takeSlot(
  limit: SourceRateLimit,
  shown: string,
  attemptsSoFar: number,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  let waited = 0;
  while (true) {
    const decision = await limit.cache.takeToken(limit.key, limit.rule);
    if (decision.allowed) return;
    const wait = Math.max(1, decision.retryAfterMs);
    if (waited + wait > limit.maxWaitMs) {
      throw new FetchError(
        shown,
        null,
        attemptsSoFar,
        `rate limit ${limit.key}: no request slot for ${shown} within ${limit.maxWaitMs} ms`,
      );
    }
    await sleep(wait, signal);
    waited += wait;
  }
}

/** fetch rejects with a TypeError for connection failures, a DOMException for timeouts. */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError ||
    (error instanceof DOMException &&
      (error.name === "TimeoutError" || error.name === "AbortError"));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `network error: ${error.message}${cause}`;
}

/** The start of an error response's body, on one line: "No data found, symbol may be delisted". */
async function snippet(response: Response, maxChars = 200): Promise<string> {
  try {
    const bytes = await readBodyLimited(response, 64 * 1024);
    const text = new TextDecoder().decode(bytes).replace(/\s+/g, " ").trim();
    return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  } catch {
    await response.body?.cancel().catch(() => {});
    return "";
  }
}
