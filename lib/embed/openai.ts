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
//   with full jitter, each wait capped at `maxDelayMs` (lib/net/openai_api.ts, shared with the LLM
//   predictor). A 429 for an exhausted quota is not retried.
// - Responses are validated: one vector per input, each of `dimensions` finite numbers, given as
//   floats or base64 float32 (requested: 4× smaller than JSON floats; either is accepted, since
//   some compatible servers ignore `encoding_format`). Vectors are returned as the server gave them
//   (OpenAI's are unit length).
import type OpenAI from "openai";
import type { Logger } from "../log.ts";
import type { FetchDeps } from "../net/http_fetch.ts";
import {
  ApiCallError,
  type ApiRetryPolicy,
  callWithRetries,
  createOpenAIClient,
  describeValue,
  isRecord,
  OPENAI_API_BASE_URL,
} from "../net/openai_api.ts";
import { redactUrl } from "../net/redact_url.ts";
import {
  type Embedder,
  embedderId,
  type EmbedResult,
  prepareTexts,
  truncateUtf8,
  utf8Length,
} from "./port.ts";

export const DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;
/** text-embedding-3-*: 8192 tokens per input; one less leaves room for a separator token. */
export const DEFAULT_MAX_INPUT_TOKENS = 8191;
export const MAX_BATCH_INPUTS = 2048;
export const MAX_BATCH_TOKENS = 300_000;

/** Per request: attempts in all, per-attempt timeout, backoff base and cap on any wait. */
export type EmbedRetryPolicy = ApiRetryPolicy;

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

export class OpenAIEmbedder implements Embedder {
  readonly name: string;
  readonly dimension: number;
  readonly id: string;
  readonly model: string;
  readonly baseURL: string;
  readonly #client: OpenAI;
  readonly #apiKey: string;
  readonly #maxInputTokens: number;
  readonly #maxBatchInputs: number;
  readonly #maxBatchTokens: number;
  readonly #encodingFormat: "base64" | "float";
  readonly #retry: EmbedRetryPolicy;
  readonly #log?: Logger;
  readonly #deps?: FetchDeps;

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
    this.#deps = options.deps;
    this.#apiKey = options.apiKey;
    this.#client = createOpenAIClient({
      apiKey: options.apiKey,
      baseURL: this.baseURL,
      fetch: options.deps?.fetch,
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
    let response: unknown;
    try {
      response = await callWithRetries(
        (attemptSignal) =>
          this.#client.embeddings.create(
            {
              model: this.model,
              input,
              dimensions: this.dimension,
              encoding_format: this.#encodingFormat,
            },
            { signal: attemptSignal },
          ),
        this.#retry,
        {
          what,
          signal,
          deps: this.#deps,
          secrets: [this.#apiKey],
          onRetry: (notice) =>
            this.#log?.warn("embedding request failed, retrying", {
              embedder: this.id,
              ...notice,
            }),
        },
      );
    } catch (error) {
      if (error instanceof ApiCallError) {
        throw new EmbedRequestError(this.id, error.status, error.attempts, error.message, {
          cause: error,
        });
      }
      if (error instanceof SyntaxError) {
        const message = `${what}: response is not JSON (${error.message})`;
        throw new EmbedResponseError(this.id, message, { cause: error });
      }
      throw error;
    }
    return parseEmbeddingResponse(this.id, response, input.length, this.dimension, offset);
  }
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
    fail(`response is not an embeddings list (got ${describeValue(body)})`);
  }
  const data: unknown[] = body.data;
  if (data.length !== count) fail(`expected ${count} embeddings, got ${data.length}`);
  const vectors: (Float32Array | undefined)[] = new Array(count);
  data.forEach((item, position) => {
    if (!isRecord(item)) return fail(`embedding ${position} is ${describeValue(item)}`);
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
  return fail(`${where} is ${describeValue(value)}, not a vector`);
}
