// Calls to an OpenAI-compatible API (OpenAI, OpenRouter, a local server) through npm:openai, on our
// own retry policy rather than the SDK's. Shared by the embedder and the LLM predictor.
//
// Why not the SDK's `maxRetries` (read in openai@7.57 client.js): it ignores a Retry-After above
// 60 s (falling back to at most 8 s, so a throttled client comes back far too early), retries an
// exhausted quota (a 429 that never clears) and 408/409, and its clock cannot be faked in tests.
// Each attempt runs under a deadline signal of ours, body included, so the bound on a call does
// not rest on SDK internals.
import OpenAI from "openai";
import { abortableSleep, type FetchDeps, type RetryPolicy } from "./http_fetch.ts";
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "./retry_timing.ts";

/** Default base URLs of the two OpenAI-compatible providers (OPENAI_BASE_URL overrides both). */
export const OPENAI_API_BASE_URL = "https://api.openai.com/v1";
export const OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";

/** Per call: attempts in all, per-attempt deadline, backoff base and cap on any wait. */
export type ApiRetryPolicy = Omit<RetryPolicy, "rateLimit">;

export interface OpenAIClientOptions {
  apiKey: string;
  baseURL: string;
  /** Test seam: the SDK's fetch. */
  fetch?: typeof fetch;
}

/** An SDK client with its own retries off and nothing read from the environment. */
export function createOpenAIClient(options: OpenAIClientOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: options.baseURL,
    maxRetries: 0,
    fetch: options.fetch,
    logLevel: "off",
  });
}

/** The wait a throttled or failing server asks for: `retry-after-ms`, else `retry-after`. */
export function serverRetryDelayMs(headers: Headers | undefined, now: number): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  return parseRetryAfterMs(headers.get("retry-after"), now);
}

/**
 * A call that failed for good: not retryable (400, 401, an exhausted quota…) or still failing
 * after every attempt. `status` is the last HTTP status, null for no response.
 */
export class ApiCallError extends Error {
  constructor(
    readonly status: number | null,
    readonly attempts: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ApiCallError";
  }
}

/** Logged before each retry. */
export interface RetryNotice {
  attempt: number;
  status: number | null;
  reason: string;
  waitMs: number;
}

export interface CallOptions {
  /** What is being done, for error messages: "POST https://api.openai.com/v1/embeddings". */
  what: string;
  signal?: AbortSignal;
  /** `sleep`, `random` and `now` drive the waits (the SDK gets `fetch` at construction). */
  deps?: FetchDeps;
  onRetry?: (notice: RetryNotice) => void;
  /** Texts never shown in an error message (the API key, should a server echo it back). */
  secrets?: readonly string[];
}

/**
 * Runs `call` until it succeeds, retrying timeouts, connection failures, 429 (except an exhausted
 * quota) and 5xx per `policy`, waiting what the server asks (capped) or else backing off. `call`
 * gets the attempt's signal: the caller's, plus the attempt's deadline. Throws `ApiCallError`
 * when giving up, the caller's abort reason when it aborts, and any other error as it is (for
 * instance a SyntaxError from a body that is not JSON: asking again would not help).
 */
export async function callWithRetries<T>(
  call: (signal: AbortSignal) => Promise<T>,
  policy: ApiRetryPolicy,
  options: CallOptions,
): Promise<T> {
  const { what, signal: caller, onRetry, secrets = [] } = options;
  const sleep = options.deps?.sleep ?? abortableSleep;
  const random = options.deps?.random ?? Math.random;
  const now = options.deps?.now ?? Date.now;
  const hide = (text: string) =>
    secrets.reduce((shown, secret) => secret ? shown.replaceAll(secret, "***") : shown, text);
  for (let attempt = 1;; attempt++) {
    caller?.throwIfAborted();
    const deadline = AbortSignal.timeout(policy.timeoutMs);
    let failure: Transient;
    try {
      return await call(caller ? AbortSignal.any([caller, deadline]) : deadline);
    } catch (error) {
      if (caller?.aborted) throw caller.reason;
      failure = transient(error, deadline.aborted, policy.timeoutMs);
      if (!failure.retryable) {
        throw new ApiCallError(failure.status, attempt, hide(`${what}: ${failure.reason}`), {
          cause: error,
        });
      }
    }
    if (attempt >= policy.attempts) {
      const message = `${what} failed after ${attempt} attempt${attempt === 1 ? "" : "s"}: ` +
        failure.reason;
      throw new ApiCallError(failure.status, attempt, hide(message), {
        cause: failure.cause,
      });
    }
    const asked = serverRetryDelayMs(failure.headers, now());
    const waitMs = Math.min(
      asked ?? backoffDelayMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random),
      policy.maxDelayMs,
    );
    onRetry?.({ attempt, status: failure.status, reason: hide(failure.reason), waitMs });
    await sleep(waitMs, caller);
  }
}

/** What a failed attempt came to. */
interface Transient {
  retryable: boolean;
  status: number | null;
  reason: string;
  headers?: Headers;
  cause: unknown;
}

/** Classifies an attempt's error; rethrows what is neither an API nor a network failure. */
function transient(error: unknown, timedOut: boolean, timeoutMs: number): Transient {
  if (timedOut || error instanceof OpenAI.APIConnectionTimeoutError) {
    return {
      retryable: true,
      status: null,
      reason: `timed out after ${timeoutMs} ms`,
      cause: error,
    };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const reason = `connection failed: ${error.message}`;
    return { retryable: true, status: null, reason, cause: error };
  }
  if (!(error instanceof OpenAI.APIError) || typeof error.status !== "number") throw error;
  // The SDK's message starts with the status: "429 Rate limit reached…".
  const detail = oneLine(error.message.replace(/^\d{3}\s*/, "")).slice(0, 300);
  return {
    retryable: isRetryableStatus(error.status) && error.code !== "insufficient_quota",
    status: error.status,
    reason: `HTTP ${error.status}: ${detail}`,
    headers: error.headers,
    cause: error,
  };
}

/** Whitespace runs (newlines included) as single spaces: error messages stay on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A response value that is not what was expected, briefly, for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `text ${JSON.stringify(oneLine(value).slice(0, 60))}`;
  return typeof value;
}
