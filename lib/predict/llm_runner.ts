// Connects the predict path to the configured LLM providers: a model's prompt version rendered
// with its inputs, its parameters and token prices, sent through its provider's client.
import type { AppContext } from "../context.ts";
import { DEFAULT_LLM_PARAMS, type LlmParams, predictWithLlm } from "./llm.ts";
import { createLlmClients, type LlmClients } from "./llm_client.ts";
import type { LlmRunner } from "./predict.ts";
import { renderPrompt } from "./prompt.ts";
import { shownNewsIds } from "./types.ts";

/** The model's own parameters over the defaults (validated when the model was saved). */
function llmParams(params: Record<string, number>): LlmParams {
  return {
    temperature: params.temperature ?? DEFAULT_LLM_PARAMS.temperature,
    maxTokens: params.maxTokens ?? DEFAULT_LLM_PARAMS.maxTokens,
  };
}

export function llmRunner(clients: LlmClients): LlmRunner {
  return (model, inputs, signal) => {
    const client = clients[model.provider];
    if (!client) return null;
    if (!model.prompt) throw new Error(`model ${model.name} has no prompt`);
    return predictWithLlm(client, {
      model: model.modelId,
      params: llmParams(model.params),
      prompt: renderPrompt(model.prompt.template, inputs),
      horizon: inputs.horizon,
      shownIds: shownNewsIds(inputs),
      prices: { input: model.inputTokenCost, output: model.outputTokenCost },
    }, signal);
  };
}

/** LLM calls through the providers configured for `app` (none without API keys). */
export function configuredLlm(app: AppContext): LlmRunner {
  return llmRunner(createLlmClients(app.config, app.log));
}
