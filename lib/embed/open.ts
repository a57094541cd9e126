// Picks the embedder from configuration: the OpenAI-compatible API when a key is set (OpenAI first,
// then OpenRouter), the deterministic offline embedder otherwise.
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { redactUrl } from "../net/redact_url.ts";
import { OfflineEmbedder } from "./offline.ts";
import { OPENAI_API_BASE_URL, OPENROUTER_BASE_URL } from "../net/openai_api.ts";
import { OpenAIEmbedder, type OpenAIEmbedderOptions } from "./openai.ts";
import type { Embedder } from "./port.ts";

/** Test seams and limits passed on to the API adapter. */
export type EmbedderOverrides = Partial<
  Omit<OpenAIEmbedderOptions, "apiKey" | "baseURL" | "provider" | "model" | "dimensions">
>;

/**
 * The configured embedder. With OPENAI_API_KEY: OpenAI (or OPENAI_BASE_URL). Else with
 * OPENROUTER_API_KEY: OpenRouter (or OPENAI_BASE_URL), where a model id without a provider
 * prefix gets "openai/" ("text-embedding-3-small" → "openai/text-embedding-3-small"). Else offline.
 * Builds a client only: nothing is sent until `embed()`.
 */
export function createEmbedder(
  config: Config,
  log: Logger,
  overrides: EmbedderOverrides = {},
): Embedder {
  const embedLog = log.child({ component: "embedder" });
  let embedder: Embedder;
  const apiKey = config.openaiApiKey ?? config.openrouterApiKey;
  if (apiKey) {
    const openrouter = !config.openaiApiKey;
    const model = openrouter && !config.embeddingModel.includes("/")
      ? `openai/${config.embeddingModel}`
      : config.embeddingModel;
    const api = new OpenAIEmbedder({
      ...overrides,
      apiKey,
      baseURL: config.openaiBaseUrl ?? (openrouter ? OPENROUTER_BASE_URL : OPENAI_API_BASE_URL),
      provider: openrouter ? "openrouter" : "openai",
      model,
      dimensions: config.embeddingDimensions,
      log: overrides.log ?? embedLog,
    });
    embedLog.info("embedder: API", { embedder: api.id, baseURL: redactUrl(api.baseURL) });
    embedder = api;
  } else {
    embedder = new OfflineEmbedder();
    embedLog.info("embedder: offline (no OPENAI_API_KEY or OPENROUTER_API_KEY)", {
      embedder: embedder.id,
    });
  }
  return embedder;
}
