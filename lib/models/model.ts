// A competing model as the registry stores it (DESIGN §4 `model`, with its current prompt).

export const PROVIDERS = ["builtin", "openai", "openrouter"] as const;
export type Provider = typeof PROVIDERS[number];
export type LlmProvider = Exclude<Provider, "builtin">;

export interface PromptVersion {
  id: number;
  version: number;
  template: string;
  /** sha-256 hex of the template. */
  hash: string;
  createdAt: Date;
}

export interface Model {
  id: number;
  name: string;
  provider: Provider;
  /** The provider's model id ("gpt-4o") or the built-in model's key ("momentum"). */
  modelId: string;
  description: string | null;
  /** Built-ins: their own parameters; LLMs: temperature, maxTokens. */
  params: Record<string, number>;
  /** YYYY-MM-DD; predictions as of an earlier instant are flagged contaminated. */
  knowledgeCutoff: string | null;
  active: boolean;
  /** US dollars per token. */
  inputTokenCost: number;
  outputTokenCost: number;
  /** US dollars per UTC day; null: no cap. */
  dailyCapUsd: number | null;
  /** The current (latest) prompt version; null for built-in models. */
  prompt: PromptVersion | null;
  createdAt: Date;
  updatedAt: Date;
}

export function isLlm(model: Pick<Model, "provider">): model is Model & { provider: LlmProvider } {
  return model.provider !== "builtin";
}

/** Whether a prediction as of `asOf` may have been seen in the model's training data. */
export function isContaminated(model: Pick<Model, "knowledgeCutoff">, asOf: Date): boolean {
  return model.knowledgeCutoff !== null &&
    asOf.getTime() < new Date(`${model.knowledgeCutoff}T00:00:00Z`).getTime();
}
