// The embedder over an OpenAI-compatible embeddings API (OpenAI, OpenRouter, or a local server at
// `baseURL`), through npm:openai.
//
// - Batches: at most 2048 inputs and about 300,000 tokens per request (OpenAI's limits), sent one
//   after another; the result is all or nothing, in input order.
// - Tokens are estimated by UTF-8 bytes: every BPE token covers at least one byte, so the estimate
//   never undercounts. Each input is cut to `maxInputTokens` bytes (8191 for text-embedding-3-*):
//   such an input can never be refused for length (a 400 would block its batch on every run),
//   at the price of reading only the first ~8 KB of a long article (~2,000 English tokens) — for
//   news, headline and lede.
// - Retries: 429 and 5xx (and network errors, timeouts) are retried up to `attempts` times in all,
//   waiting what the server asks (`retry-after-ms`, then `retry-after`) or else exponential backoff
//   with full jitter, each wait capped at `maxDelayMs`. The SDK's own retries are off so that the
//   policy (and in tests, the clock) is ours. A 429 for an exhausted quota is not retried.
// - Responses are validated: one vector per input, each of `dimensions` finite numbers, given as
//   floats or base64 float32 (requested: 4× smaller than JSON floats; either is accepted, since
//   some compatible servers ignore `encoding_format`). Vectors are returned as the server gave them
//   (OpenAI's are unit length).
import OpenAI from "openai";
import type { Logger } from "../log.ts";
import { abortableSleep, type FetchDeps, type RetryPolicy } from "../net/http_fetch.ts";
import { redactUrl } from "../net/redact_url.ts";
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from "../net/retry_timing.ts";
import {
  type Embedder,
  embedderId,
  type EmbedResult,
  prepareTexts,
  truncateUtf8,
  utf8Length,
} from "./port.ts";

export const OPENAI_API_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;
/** text-embedding-3-*: 8192 tokens per input; one less leaves room for a separator token. */
export const DEFAULT_MAX_INPUT_TOKENS = 8191;
export const MAX_BATCH_INPUTS = 2048;
export const MAX_BATCH_TOKENS = 300_000;

/** Per request: attempts in all, per-attempt timeout, backoff base and cap on any wait. */
export type EmbedRetryPolicy = Omit<RetryPolicy, "rateLimit">;

/** About two minutes of backing off (1 + 2 + … + 60 s) before a batch is given up. */
export const DEFAULT_EMBED_RETRY: EmbedRetryPolicy = {
  attempts: 8,
  timeoutMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

export interface OpenAIEmbedderOptions {
  apiKey: string;
  /** Default https://api.openai.com/v1; e.g. https://openrouter.ai/api/v1 or a local server. */
  baseURL?: string;
  /** First part of the embedder's name: "openai" (default) or "openrouter". */
  provider?: string;
  /** Default text-embedding-3-small. */
  model?: string;
  /** Vector length asked for (the `dimensions` parameter) and checked. Default 1536. */
  dimensions?: number;
  /** Longest input, in (estimated) tokens; longer inputs are cut. Default 8191. */
  maxInputTokens?: number;
  /** Inputs per request. Default (and at most) 2048. */
  maxBatchInputs?: number;
  /** Estimated tokens per request. Default 300,000. */
  maxBatchTokens?: number;
  /** Asked of the server; the answer may use either. Default "base64". */
  encodingFormat?: "base64" | "float";
  retry?: Partial<EmbedRetryPolicy>;
  log?: Logger;
  /** Test seams: `fetch` goes to the SDK, `sleep`, `random` and `now` to the retry loop. */
  deps?: FetchDeps;
}

/** A request that failed for good: the last HTTP status (null: no response) and attempts made. */
export class EmbedRequestError extends Error {
  constructor(
    readonly embedderId: string,
    readonly status: number | null,
    readonly attempts: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${embedderId}: ${message}`, options);
    this.name = "EmbedRequestError";
  }
}

/** The server answered, but not with what was asked for (not retried: it would answer the same). */
export class EmbedResponseError extends Error {
  constructor(readonly embedderId: string, message: string, options?: ErrorOptions) {
    super(`${embedderId}: ${message}`, options);
    this.name = "EmbedResponseError";
  }
}

/**
 * Splits inputs with these token estimates into consecutive batches `[start, end)` of at most
 * `maxInputs` inputs and `maxTokens` estimated tokens (an input above `maxTokens` goes alone).
 */
export function planBatches(
  tokens: readonly number[],
  maxInputs: number,
  maxTokens: number,
): [number, number][] {
  const batches: [number, number][] = [];
  let start = 0;
  let sum = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (i > start && (i - start >= maxInputs || sum + tokens[i] > maxTokens)) {
      batches.push([start, i]);
      start = i;
      sum = 0;
    }
    sum += tokens[i];
  }
  if (start < tokens.length) batches.push([start, tokens.length]);
  return batches;
}

/** The wait a throttled or failing server asks for: `retry-after-ms`, else `retry-after`. */
export function serverRetryDelayMs(headers: Headers | undefined, now: number): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  return parseRetryAfterMs(headers.get("retry-after"), now);
}

export class OpenAIEmbedder implements Embedder {
  readonly name: string;
  readonly dimension: number;
  readonly id: string;
  readonly model: string;
  readonly baseURL: string;
  readonly #client: OpenAI;
  readonly #maxInputTokens: number;
  readonly #maxBatchInputs: number;
  readonly #maxBatchTokens: number;
  readonly #encodingFormat: "base64" | "float";
  readonly #retry: EmbedRetryPolicy;
  readonly #log?: Logger;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: OpenAIEmbedderOptions) {
    this.model = options.model ?? DEFAULT_EMBEDDING_MODEL;
    this.dimension = options.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
    if (!Number.isInteger(this.dimension) || this.dimension < 1) {
      throw new RangeError(`embedder dimensions must be a positive integer, got ${this.dimension}`);
    }
    this.name = `${options.provider ?? "openai"}:${this.model}`;
    this.id = embedderId(this.name, this.dimension);
    this.baseURL = options.baseURL ?? OPENAI_API_BASE_URL;
    this.#maxInputTokens = options.maxInputTokens ?? DEFAULT_MAX_INPUT_TOKENS;
    this.#maxBatchInputs = Math.min(options.maxBatchInputs ?? MAX_BATCH_INPUTS, MAX_BATCH_INPUTS);
    this.#maxBatchTokens = options.maxBatchTokens ?? MAX_BATCH_TOKENS;
    this.#encodingFormat = options.encodingFormat ?? "base64";
    this.#retry = { ...DEFAULT_EMBED_RETRY, ...options.retry };
    this.#log = options.log;
    this.#sleep = options.deps?.sleep ?? abortableSleep;
    this.#random = options.deps?.random ?? Math.random;
    this.#now = options.deps?.now ?? Date.now;
    // Everything the SDK would otherwise read from the environment is given explicitly.
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      baseURL: this.baseURL,
      maxRetries: 0,
      timeout: this.#retry.timeoutMs,
      fetch: options.deps?.fetch,
      logLevel: "off",
    });
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<EmbedResult> {
    signal?.throwIfAborted();
    const inputs = prepareTexts(this.id, texts).map((text) =>
      truncateUtf8(text, this.#maxInputTokens)
    );
    const estimates = inputs.map(utf8Length);
    const vectors: Float32Array[] = [];
    let tokens = 0;
    const batches = planBatches(estimates, this.#maxBatchInputs, this.#maxBatchTokens);
    for (const [start, end] of batches) {
      const batch = await this.#request(inputs.slice(start, end), start, signal);
      vectors.push(...batch.vectors);
      tokens += batch.tokens;
    }
    return { vectors, tokens };
  }

  /** One batch, retried per the policy. `offset`: the batch's first position, for messages. */
  async #request(input: string[], offset: number, signal?: AbortSignal): Promise<EmbedResult> {
    const what = `POST ${redactUrl(this.baseURL)}/embeddings (${input.length} input` +
      `${input.length === 1 ? "" : "s"})`;
    for (let attempt = 1;; attempt++) {
      signal?.throwIfAborted();
      let failure: Transient;
      try {
        const response = await this.#client.embeddings.create(
          {
            model: this.model,
            input,
            dimensions: this.dimension,
            encoding_format: this.#encodingFormat,
          },
          { signal, timeout: this.#retry.timeoutMs, maxRetries: 0 },
        );
        return parseEmbeddingResponse(this.id, response, input.length, this.dimension, offset);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failure = this.#transient(error, what, attempt);
      }
      if (attempt >= this.#retry.attempts) {
        throw new EmbedRequestError(
          this.id,
          failure.status,
          attempt,
          `${what} failed after ${attempt} attempt${attempt === 1 ? "" : "s"}: ${failure.reason}`,
          { cause: failure.cause },
        );
      }
      const asked = serverRetryDelayMs(failure.headers, this.#now());
      const { baseDelayMs, maxDelayMs } = this.#retry;
      const wait = Math.min(
        asked ?? backoffDelayMs(attempt, baseDelayMs, maxDelayMs, this.#random),
        maxDelayMs,
      );
      this.#log?.warn("embedding request failed, retrying", {
        embedder: this.id,
        attempt,
        status: failure.status,
        reason: failure.reason,
        waitMs: wait,
      });
      await this.#sleep(wait, signal);
    }
  }

  /** What a failed attempt came to if it is worth retrying; throws the final error otherwise. */
  #transient(error: unknown, what: string, attempt: number): Transient {
    if (error instanceof EmbedResponseError) throw error;
    if (error instanceof SyntaxError) {
      const message = `${what}: response is not JSON (${error.message})`;
      throw new EmbedResponseError(this.id, message, { cause: error });
    }
    if (error instanceof OpenAI.APIConnectionTimeoutError) {
      return { status: null, reason: `timed out after ${this.#retry.timeoutMs} ms`, cause: error };
    }
    if (error instanceof OpenAI.APIConnectionError) {
      return { status: null, reason: `connection failed: ${error.message}`, cause: error };
    }
    if (!(error instanceof OpenAI.APIError) || typeof error.status !== "number") throw error;
    // The SDK's message starts with the status: "429 Rate limit reached…".
    const detail = oneLine(error.message.replace(/^\d{3}\s*/, "")).slice(0, 300);
    const reason = `HTTP ${error.status}: ${detail}`;
    if (!isRetryableStatus(error.status) || error.code === "insufficient_quota") {
      throw new EmbedRequestError(this.id, error.status, attempt, `${what}: ${reason}`, {
        cause: error,
      });
    }
    return { status: error.status, reason, headers: error.headers, cause: error };
  }
}

/** A failed attempt worth retrying: the status (null: no response) and the server's headers. */
interface Transient {
  status: number | null;
  reason: string;
  headers?: Headers;
  cause: unknown;
}

/** Validates an embeddings response (floats or base64 float32) into vectors in input order. */
export function parseEmbeddingResponse(
  id: string,
  body: unknown,
  count: number,
  dimension: number,
  offset = 0,
): EmbedResult {
  function fail(message: string): never {
    throw new EmbedResponseError(id, message);
  }
  if (!isRecord(body) || !Array.isArray(body.data)) {
    fail(`response is not an embeddings list (got ${describe(body)})`);
  }
  const data: unknown[] = body.data;
  if (data.length !== count) fail(`expected ${count} embeddings, got ${data.length}`);
  const vectors: (Float32Array | undefined)[] = new Array(count);
  data.forEach((item, position) => {
    if (!isRecord(item)) return fail(`embedding ${position} is ${describe(item)}`);
    const index = item.index ?? position;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count) {
      return fail(
        `embedding ${position} has index ${JSON.stringify(index)} outside 0–${count - 1}`,
      );
    }
    if (vectors[index] !== undefined) fail(`index ${index} appears twice`);
    const where = `embedding for input ${offset + index}`;
    const vector = toVector(item.embedding, where, fail);
    if (vector.length !== dimension) {
      fail(
        `${where} has ${vector.length} dimensions, expected ${dimension} ` +
          "(does the model support EMBEDDING_DIMENSIONS?)",
      );
    }
    for (let i = 0; i < vector.length; i++) {
      if (!Number.isFinite(vector[i])) fail(`${where} has a non-finite value at ${i}`);
    }
    vectors[index] = vector;
  });
  const usage = isRecord(body.usage) ? body.usage : {};
  const total = usage.total_tokens ?? usage.prompt_tokens;
  const tokens = typeof total === "number" && Number.isFinite(total) && total >= 0 ? total : 0;
  return { vectors: vectors.filter((vector) => vector !== undefined), tokens };
}

function toVector(value: unknown, where: string, fail: (message: string) => never): Float32Array {
  if (typeof value === "string") {
    let binary: string;
    try {
      binary = atob(value);
    } catch {
      return fail(`${where} is not valid base64`);
    }
    if (binary.length % 4 !== 0) fail(`${where}: base64 length is not a whole number of float32`);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const view = new DataView(bytes.buffer);
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
    return vector;
  }
  if (Array.isArray(value)) {
    const vector = new Float32Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const number = value[i];
      if (typeof number !== "number") fail(`${where} has a non-number at ${i}`);
      vector[i] = number;
    }
    return vector;
  }
  return fail(`${where} is ${describe(value)}, not a vector`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `text ${JSON.stringify(oneLine(value).slice(0, 60))}`;
  return typeof value;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
