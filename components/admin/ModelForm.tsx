// The model form, for a new model and for editing one, and its reading back into the body that
// lib/models/validate.ts checks — the same validation as the /api/models admin API. Field names
// are the API's field names, so its problems ("params.maxTokens: …") land next to their field.
import { type Model, type Provider, PROVIDERS } from "../../lib/models/model.ts";
import type { ModelFields } from "../../lib/models/store.ts";
import { parseModelFields } from "../../lib/models/validate.ts";
import { DEFAULT_LLM_PARAMS } from "../../lib/predict/llm.ts";
import { DEFAULT_PROMPT_TEMPLATE } from "../../lib/predict/prompt.ts";
import { CheckboxField, DateField, SelectField, TextAreaField, TextField } from "./Field.tsx";
import { FieldErrors } from "./FieldErrors.tsx";
import { formOptionalText, formText } from "../../lib/http/form_actions.ts";
import { type FormState, validate, type Validated } from "../../lib/http/form_problems.ts";
import { PromptVariables } from "./PromptVariables.tsx";

/** What the form for a new model starts with: an LLM with the default prompt. */
export const NEW_MODEL_VALUES: Readonly<Record<string, string>> = {
  provider: "openai",
  params: JSON.stringify(DEFAULT_LLM_PARAMS),
  active: "on",
  inputTokenCost: "0",
  outputTokenCost: "0",
  promptTemplate: DEFAULT_PROMPT_TEMPLATE,
};

/** A stored model as its edit form shows it (the prompt is its current version). */
export function modelValues(model: Model): Record<string, string> {
  return {
    name: model.name,
    provider: model.provider,
    modelId: model.modelId,
    description: model.description ?? "",
    params: JSON.stringify(model.params),
    knowledgeCutoff: model.knowledgeCutoff ?? "",
    ...(model.active ? { active: "on" } : {}),
    inputTokenCost: String(model.inputTokenCost),
    outputTokenCost: String(model.outputTokenCost),
    dailyCapUsd: model.dailyCapUsd === null ? "" : String(model.dailyCapUsd),
    promptTemplate: model.prompt?.template ?? "",
  };
}

/**
 * The model a posted form describes (over `current` when editing; its provider cannot change),
 * or every problem with it.
 */
export function readModelForm(form: FormData, current?: Model): Validated<ModelFields> {
  const problems: string[] = [];
  const provider = current?.provider ?? formText(form, "provider");
  const amount = (name: string) => {
    const raw = formText(form, name);
    // Left as text when empty, so the validator names the field instead of reading 0.
    return raw === "" ? raw : Number(raw);
  };
  let params: unknown = {};
  if (formText(form, "params") !== "") {
    try {
      params = JSON.parse(formText(form, "params"));
    } catch {
      problems.push(`params: expected a JSON object, e.g. ${JSON.stringify(DEFAULT_LLM_PARAMS)}`);
    }
  }
  const body = {
    name: formText(form, "name"),
    ...(current ? {} : { provider }),
    modelId: formText(form, "modelId"),
    description: formOptionalText(form, "description"),
    params,
    knowledgeCutoff: formOptionalText(form, "knowledgeCutoff"),
    active: form.has("active"),
    inputTokenCost: amount("inputTokenCost"),
    outputTokenCost: amount("outputTokenCost"),
    dailyCapUsd: formText(form, "dailyCapUsd") === "" ? null : amount("dailyCapUsd"),
    promptTemplate: provider === "builtin" ? null : promptTemplate(form),
  };
  return validate(() => parseModelFields(body, current), problems);
}

/**
 * The template as typed. Browsers post a textarea's line breaks as CRLF: back to LF, or saving an
 * unchanged prompt would make a new version. Not trimmed: every character is part of the prompt.
 */
function promptTemplate(form: FormData): string {
  const value = form.get("promptTemplate");
  return typeof value === "string" ? value.replaceAll("\r\n", "\n") : "";
}

export interface ModelFormProps {
  form: FormState;
  /** Editing: the provider is fixed (a different provider is a different model). */
  provider?: Provider;
}

/** The model's fields and the prompt editor; the caller wraps them in its PostForm. */
export function ModelFormFields({ form, provider }: ModelFormProps) {
  const { values, problems } = form;
  const field = (name: string) => ({
    id: `model-${name}`,
    name,
    value: values[name] ?? "",
    problems: problems[name],
  });
  return (
    <>
      <FieldErrors id="model-form-errors" messages={problems[""]} />
      <div class="form-grid">
        <TextField {...field("name")} label="Name" required maxLength={80} />
        {provider === undefined
          ? (
            <SelectField
              {...field("provider")}
              label="Provider"
              choices={PROVIDERS.map((value) => ({ value, label: value }))}
            />
          )
          : (
            <p class="field">
              <span class="field-label">Provider</span> {provider}
            </p>
          )}
        <TextField
          {...field("modelId")}
          label="Model id"
          hint="The provider's model id (gpt-4o-mini), or a built-in model's key (momentum)."
          required
        />
        <DateField
          {...field("knowledgeCutoff")}
          label="Knowledge cutoff"
          hint="Predictions as of an earlier day are reported as contaminated."
        />
        <TextField
          {...field("inputTokenCost")}
          inputMode="decimal"
          label="Input token cost (USD per token)"
        />
        <TextField
          {...field("outputTokenCost")}
          inputMode="decimal"
          label="Output token cost (USD per token)"
        />
        <TextField
          {...field("dailyCapUsd")}
          inputMode="decimal"
          label="Daily cap (USD)"
          hint="Empty: no cap."
        />
        <TextField
          {...field("params")}
          label="Parameters (JSON)"
          hint='LLMs: {"temperature": 0, "maxTokens": 1000}; built-ins: their own.'
        />
      </div>
      <TextAreaField {...field("description")} label="Description" rows={2} />
      <CheckboxField
        {...field("active")}
        checked={values.active === "on"}
        label="Active"
        hint="Inactive models are kept with their predictions but no longer predict."
      />
      {provider !== "builtin" && (
        <div class="prompt-editor">
          <TextAreaField
            {...field("promptTemplate")}
            label="Prompt template"
            hint={provider === undefined
              ? "LLM models only: ignored for built-in models."
              : "Saving a changed template makes a new prompt version."}
            rows={24}
            code
          />
          <PromptVariables />
        </div>
      )}
    </>
  );
}
