// The models a new installation starts with: the five built-ins, which run offline, and two LLMs
// that predict once their provider's API key is set (until then the job skips them, saying why).
import { DEFAULT_PROMPT_TEMPLATE } from "../predict/prompt.ts";
import type { ModelFields } from "./store.ts";

const builtin = (name: string, modelId: string, description: string): ModelFields => ({
  name,
  provider: "builtin",
  modelId,
  description,
  params: {},
  knowledgeCutoff: null,
  active: true,
  inputTokenCost: 0,
  outputTokenCost: 0,
  dailyCapUsd: null,
  promptTemplate: null,
});

export const DEFAULT_MODELS: readonly ModelFields[] = [
  builtin("always-up", "always-up", "Baseline: the market goes up"),
  builtin("momentum", "momentum", "Recent trend continues"),
  builtin("mean-reversion", "mean-reversion", "Stretched prices snap back"),
  builtin("news-tone", "news-tone", "Tone of recent headlines (lexicon)"),
  builtin("news-analogs", "analog", "What followed the most similar past news"),
  {
    name: "gpt-4o",
    provider: "openai",
    modelId: "gpt-4o",
    description: "GPT-4o with retrieval of similar past news",
    params: { temperature: 0, maxTokens: 1_000 },
    knowledgeCutoff: "2023-10-01",
    active: true,
    // OpenAI list prices: $2.50 and $10.00 per million tokens.
    inputTokenCost: 2.5e-6,
    outputTokenCost: 10e-6,
    dailyCapUsd: 5,
    promptTemplate: DEFAULT_PROMPT_TEMPLATE,
  },
  {
    name: "gpt-4o-mini (OpenRouter)",
    provider: "openrouter",
    modelId: "openai/gpt-4o-mini",
    description: "GPT-4o mini through OpenRouter, same prompt",
    params: { temperature: 0, maxTokens: 1_000 },
    knowledgeCutoff: "2023-10-01",
    active: true,
    inputTokenCost: 0.15e-6,
    outputTokenCost: 0.6e-6,
    dailyCapUsd: 1,
    promptTemplate: DEFAULT_PROMPT_TEMPLATE,
  },
];
