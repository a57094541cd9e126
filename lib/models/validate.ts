// Validates what an admin sends for a model (POST creates, PATCH merges over the current model):
// every problem is listed, each naming its field, and nothing is saved unless all pass.
import { BadRequest } from "../http/errors.ts";
import { BUILTIN_MODELS, builtinParamProblems } from "../predict/builtin/mod.ts";
import { promptTemplateProblems } from "../predict/prompt.ts";
import { type Model, PROVIDERS } from "./model.ts";
import type { ModelFields } from "./store.ts";

const NAME = /^[A-Za-z0-9][\w .:/-]{0,79}$/;
const MODEL_ID = /^[\w.:/@-]{1,200}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = new Set([
  "name",
  "provider",
  "modelId",
  "description",
  "params",
  "knowledgeCutoff",
  "active",
  "inputTokenCost",
  "outputTokenCost",
  "dailyCapUsd",
  "promptTemplate",
]);
/** Parameters an LLM model may set, with their ranges. */
const LLM_PARAMS: Record<string, { min: number; max: number; integer: boolean }> = {
  temperature: { min: 0, max: 2, integer: false },
  maxTokens: { min: 16, max: 16_384, integer: true },
};

function fieldsOf(model: Model): ModelFields {
  return {
    name: model.name,
    provider: model.provider,
    modelId: model.modelId,
    description: model.description,
    params: model.params,
    knowledgeCutoff: model.knowledgeCutoff,
    active: model.active,
    inputTokenCost: model.inputTokenCost,
    outputTokenCost: model.outputTokenCost,
    dailyCapUsd: model.dailyCapUsd,
    promptTemplate: model.prompt?.template ?? null,
  };
}

function llmParamProblems(params: Record<string, unknown>): string[] {
  return Object.entries(params).flatMap(([key, value]) => {
    const rule = LLM_PARAMS[key];
    if (!rule) return [`params.${key}: unknown (known: ${Object.keys(LLM_PARAMS).join(", ")})`];
    const ok = typeof value === "number" && Number.isFinite(value) && value >= rule.min &&
      value <= rule.max && (!rule.integer || Number.isInteger(value));
    return ok ? [] : [
      `params.${key}: expected ${
        rule.integer ? "an integer" : "a number"
      } from ${rule.min} to ${rule.max}`,
    ];
  });
}

/** Non-negative finite number, or (with `nullable`) null. */
function amountProblem(field: string, value: unknown, nullable = false): string[] {
  if (nullable && value === null) return [];
  return typeof value === "number" && Number.isFinite(value) && value >= 0
    ? []
    : [`${field}: expected a non-negative number${nullable ? " or null" : ""}`];
}

/**
 * The model fields `body` describes, over `current` when editing. Throws BadRequest listing every
 * problem (in `details.problems`).
 */
export function parseModelFields(body: unknown, current?: Model): ModelFields {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequest("Expected a JSON object describing the model");
  }
  const input = body as Record<string, unknown>;
  const problems = Object.keys(input).filter((key) => !FIELDS.has(key))
    .map((key) => `${key}: unknown field (known: ${[...FIELDS].join(", ")})`);
  const base: Partial<ModelFields> = current ? fieldsOf(current) : {
    description: null,
    params: {},
    knowledgeCutoff: null,
    active: true,
    inputTokenCost: 0,
    outputTokenCost: 0,
    dailyCapUsd: null,
    promptTemplate: null,
  };
  const merged = { ...base, ...input } as Record<string, unknown>;
  const { name, provider, modelId, description, params, knowledgeCutoff, active } = merged;
  if (typeof name !== "string" || !NAME.test(name)) {
    problems.push(
      "name: expected 1–80 letters, digits, spaces or . _ : / - (starting with a letter or digit)",
    );
  }
  if (!(PROVIDERS as readonly unknown[]).includes(provider)) {
    problems.push(`provider: expected one of ${PROVIDERS.join(", ")}`);
  }
  if (typeof modelId !== "string" || !MODEL_ID.test(modelId)) {
    problems.push("modelId: expected the provider's model id, e.g. gpt-4o, or a built-in key");
  }
  if (description !== null && (typeof description !== "string" || description.length > 1_000)) {
    problems.push("description: expected text up to 1000 characters, or null");
  }
  const paramsOk = typeof params === "object" && params !== null && !Array.isArray(params);
  if (!paramsOk) problems.push("params: expected an object");
  if (
    knowledgeCutoff !== null &&
    (typeof knowledgeCutoff !== "string" || !DATE.test(knowledgeCutoff) ||
      Number.isNaN(Date.parse(`${knowledgeCutoff}T00:00:00Z`)))
  ) {
    problems.push("knowledgeCutoff: expected a date YYYY-MM-DD, or null");
  }
  if (typeof active !== "boolean") problems.push("active: expected true or false");
  problems.push(
    ...amountProblem("inputTokenCost", merged.inputTokenCost),
    ...amountProblem("outputTokenCost", merged.outputTokenCost),
    ...amountProblem("dailyCapUsd", merged.dailyCapUsd, true),
  );
  const template = merged.promptTemplate;
  if (provider === "builtin") {
    if (template !== null) problems.push("promptTemplate: built-in models take no prompt");
    if (typeof modelId === "string" && !Object.hasOwn(BUILTIN_MODELS, modelId)) {
      problems.push(
        `modelId: no built-in model ${JSON.stringify(modelId)} (the built-ins are ${
          Object.keys(BUILTIN_MODELS).join(", ")
        })`,
      );
    } else if (paramsOk && typeof modelId === "string") {
      problems.push(
        ...builtinParamProblems(modelId, params as Record<string, unknown>)
          .map((problem) => `params: ${problem}`),
      );
    }
  } else if (PROVIDERS.includes(provider as never)) {
    if (typeof template !== "string") {
      problems.push("promptTemplate: an LLM model needs a prompt template");
    } else {
      problems.push(...promptTemplateProblems(template).map((p) => `promptTemplate: ${p}`));
    }
    if (paramsOk) problems.push(...llmParamProblems(params as Record<string, unknown>));
  }
  if (problems.length > 0) {
    throw new BadRequest(`Invalid model: ${problems[0]}`, { problems });
  }
  return merged as unknown as ModelFields;
}
