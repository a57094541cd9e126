// A chat-completions client per LLM provider (OpenAI, OpenRouter, or any OpenAI-compatible server
// at OPENAI_BASE_URL), through npm:openai. One `chat` call is one model answer: 429, 5xx, timeouts
// and connection failures are retried inside it (lib/net/openai_api.ts), anything else fails.
import type OpenAI from "openai";
import type { Config } from "../config.ts";
import { OPENAI_API_BASE_URL, OPENROUTER_BASE_URL } from "../net/openai_api.ts";
import type { Logger } from "../log.ts";
import type { LlmProvider } from "../models/model.ts";
import type { FetchDeps } from "../net/http_fetch.ts";
import {
  type ApiRetryPolicy,
  callWithRetries,
  createOpenAIClient,
  describeValue,
  isRecord,
  oneLine,
} from "../net/openai_api.ts";
import { redactUrl } from "../net/redact_url.ts";

/**
 * An answer of a few hundred tokens takes seconds, but a slow or reasoning model under load can
 * take a minute or more. Three attempts and two waits of at most 30 s bound a call to 5½ minutes.
 */
export const DEFAULT_LLM_RETRY: ApiRetryPolicy = {
  attempts: 3,
  timeoutMs: 90_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  responseFormat: OpenAI.ResponseFormatJSONSchema;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** The first choice of a completion. */
export interface ChatReply {
  content: string | null;
  /** The model's refusal message (structured outputs), null when it answered. */
  refusal: string | null;
  /** "stop", "length", "content_filter"…; null when the server gave none. */
  finishReason: string | null;
  usage: TokenUsage;
}

/** The server answered 200, but not with a chat completion (not retried: it would answer the same). */
export class ChatResponseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ChatResponseError";
  }
}

export interface LlmClientOptions {
  provider: LlmProvider;
  apiKey: string;
  baseURL: string;
  retry?: Partial<ApiRetryPolicy>;
  log?: Logger;
  /** Test seams: `fetch` goes to the SDK, `sleep`, `random` and `now` to the retry loop. */
  deps?: FetchDeps;
}

export class LlmClient {
  readonly provider: LlmProvider;
  readonly baseURL: string;
  readonly #client: OpenAI;
  readonly #apiKey: string;
  readonly #retry: ApiRetryPolicy;
  readonly #log?: Logger;
  readonly #deps?: FetchDeps;

  constructor(options: LlmClientOptions) {
    this.provider = options.provider;
    this.baseURL = options.baseURL;
    this.#apiKey = options.apiKey;
    this.#retry = { ...DEFAULT_LLM_RETRY, ...options.retry };
    this.#log = options.log;
    this.#deps = options.deps;
    this.#client = createOpenAIClient({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      fetch: options.deps?.fetch,
    });
  }

  /**
   * One model answer. Throws `ApiCallError` when the API fails for good, `ChatResponseError` for
   * a 200 that is not a completion, and the abort reason when `signal` aborts.
   */
  async chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatReply> {
    const what = `POST ${redactUrl(this.baseURL)}/chat/completions (${request.model})`;
    let completion: unknown;
    try {
      completion = await callWithRetries(
        (attemptSignal) =>
          this.#client.chat.completions.create({
            model: request.model,
            messages: request.messages,
            temperature: request.temperature,
            max_tokens: request.maxTokens,
            response_format: request.responseFormat,
          }, { signal: attemptSignal }),
        this.#retry,
        {
          what,
          signal,
          deps: this.#deps,
          secrets: [this.#apiKey],
          onRetry: (notice) =>
            this.#log?.warn("LLM request failed, retrying", {
              provider: this.provider,
              model: request.model,
              ...notice,
            }),
        },
      );
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new ChatResponseError(`${what}: response is not JSON (${error.message})`, {
          cause: error,
        });
      }
      throw error;
    }
    const reply = chatReply(completion);
    if (typeof reply === "string") throw new ChatResponseError(`${what}: ${reply}`);
    if (!reply.usageGiven) {
      // Costs and the daily cap are computed from usage: a server that omits it undercounts.
      this.#log?.warn("LLM response has no token usage; counted as 0", {
        provider: this.provider,
        model: request.model,
      });
    }
    return reply.reply;
  }
}

/** The reply in a completion body, or what is wrong with the body. */
function chatReply(body: unknown): { reply: ChatReply; usageGiven: boolean } | string {
  if (!isRecord(body)) return `response is not a chat completion (got ${describeValue(body)})`;
  // OpenRouter reports some upstream failures as a 200 with an error object.
  if (isRecord(body.error)) {
    const { message } = body.error;
    return "the server answered with an error" +
      (typeof message === "string" ? `: ${oneLine(message).slice(0, 300)}` : "");
  }
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) return "response has no choices";
  const { message } = choice;
  const usage = isRecord(body.usage) ? body.usage : null;
  return {
    reply: {
      content: typeof message.content === "string" ? message.content : null,
      refusal: typeof message.refusal === "string" && message.refusal ? message.refusal : null,
      finishReason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
      usage: {
        inputTokens: tokenCount(usage?.prompt_tokens),
        outputTokens: tokenCount(usage?.completion_tokens),
      },
    },
    usageGiven: usage !== null,
  };
}

function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** A client per LLM provider; null for a provider whose API key is not configured. */
export type LlmClients = Record<LlmProvider, LlmClient | null>;

/**
 * The configured clients: OpenAI with OPENAI_API_KEY, OpenRouter with OPENROUTER_API_KEY. As for
 * the embedder, OPENAI_BASE_URL, when set, replaces the provider's URL (a proxy or a local
 * server) — for both providers. Builds clients only: nothing is sent until `chat()`.
 */
export function createLlmClients(
  config: Config,
  log: Logger,
  overrides: Pick<LlmClientOptions, "retry" | "deps"> = {},
): LlmClients {
  const llmLog = log.child({ component: "llm" });
  const client = (provider: LlmProvider, apiKey: string | undefined, defaultURL: string) => {
    if (!apiKey) return null;
    const baseURL = config.openaiBaseUrl ?? defaultURL;
    llmLog.info("LLM provider configured", { provider, baseURL: redactUrl(baseURL) });
    return new LlmClient({ ...overrides, provider, apiKey, baseURL, log: llmLog });
  };
  return {
    openai: client("openai", config.openaiApiKey, OPENAI_API_BASE_URL),
    openrouter: client("openrouter", config.openrouterApiKey, OPENROUTER_BASE_URL),
  };
}
