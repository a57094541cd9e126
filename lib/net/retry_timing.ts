// When to retry an HTTP request and how long to wait first: pure functions of the response.

/** Worth retrying: throttled (429) or a server-side failure (5xx). Other 4xx will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(max, base·2^(retry−1))).
 * Jitter spreads the retries of many clients hit by the same outage instead of synchronising them.
 * `retry` is 1 before the first retry.
 */
export function backoffDelayMs(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

// IMF-fixdate, the only HTTP-date form servers are allowed to send (RFC 9110 §5.6.7).
const HTTP_DATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * A `Retry-After` header as milliseconds from `now`: delay-seconds or an HTTP-date (a date in the
 * past means 0). Null when absent or malformed, so the caller falls back to its own backoff.
 */
export function parseRetryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!HTTP_DATE.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
