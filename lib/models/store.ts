// The only module that writes SQL for `model` and `model_prompt`. A prompt edit inserts a new
// version; predictions keep the id of the version that made them.
import type { ISql, Sql } from "postgres";
import { sha256Hex } from "../crypto/sha256.ts";
import type { Model, PromptVersion, Provider } from "./model.ts";

interface ModelRow {
  id: number;
  name: string;
  provider: Provider;
  model_id: string;
  description: string | null;
  params: Record<string, number>;
  knowledge_cutoff: string | null;
  active: boolean;
  input_token_cost: number;
  output_token_cost: number;
  daily_cap_usd: number | null;
  created_at: Date;
  updated_at: Date;
  prompt: { id: number; version: number; template: string; hash: string; createdAt: string } | null;
}

const MODEL_SELECT = (sql: ISql) =>
  sql`
  select m.id, m.name, m.provider, m.model_id, m.description, m.params,
    to_char(m.knowledge_cutoff, 'YYYY-MM-DD') as knowledge_cutoff, m.active,
    m.input_token_cost, m.output_token_cost, m.daily_cap_usd, m.created_at, m.updated_at,
    (select json_build_object('id', p.id, 'version', p.version, 'template', p.template,
        'hash', p.template_hash, 'createdAt', p.created_at)
      from model_prompt p where p.model_id = m.id order by p.version desc limit 1) as prompt
  from model m`;

function toModel(row: ModelRow): Model {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    modelId: row.model_id,
    description: row.description,
    params: row.params,
    knowledgeCutoff: row.knowledge_cutoff,
    active: row.active,
    inputTokenCost: row.input_token_cost,
    outputTokenCost: row.output_token_cost,
    dailyCapUsd: row.daily_cap_usd,
    prompt: row.prompt ? { ...row.prompt, createdAt: new Date(row.prompt.createdAt) } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listModels(
  sql: ISql,
  options: { activeOnly?: boolean } = {},
): Promise<Model[]> {
  const rows = await sql<ModelRow[]>`
    ${MODEL_SELECT(sql)}
    where ${options.activeOnly ? sql`m.active` : sql`true`}
    order by m.name`;
  return rows.map(toModel);
}

export async function getModel(sql: ISql, id: number): Promise<Model | null> {
  const [row] = await sql<ModelRow[]>`${MODEL_SELECT(sql)} where m.id = ${id}`;
  return row ? toModel(row) : null;
}

export async function getModelByName(sql: ISql, name: string): Promise<Model | null> {
  const [row] = await sql<ModelRow[]>`${MODEL_SELECT(sql)} where m.name = ${name}`;
  return row ? toModel(row) : null;
}

/** The fields an admin sets; validated by lib/models/validate.ts before they get here. */
export interface ModelFields {
  name: string;
  provider: Provider;
  modelId: string;
  description: string | null;
  params: Record<string, number>;
  knowledgeCutoff: string | null;
  active: boolean;
  inputTokenCost: number;
  outputTokenCost: number;
  dailyCapUsd: number | null;
  /** LLMs only. */
  promptTemplate: string | null;
}

/** Adds a new version of the model's prompt unless the template is the current one. */
async function addPromptVersion(sql: ISql, modelId: number, template: string): Promise<void> {
  const hash = await sha256Hex(template);
  await sql`
    insert into model_prompt (model_id, version, template, template_hash)
    select ${modelId}, coalesce(max(version), 0) + 1, ${template}, ${hash}
    from model_prompt where model_id = ${modelId}
    having coalesce((array_agg(template_hash order by version desc))[1], '') <> ${hash}`;
}

/** Inserts a model and version 1 of its prompt; returns its id. */
async function insertModel(sql: ISql, fields: ModelFields): Promise<number> {
  const [{ id }] = await sql<{ id: number }[]>`
      insert into model (name, provider, model_id, description, params, knowledge_cutoff, active,
        input_token_cost, output_token_cost, daily_cap_usd)
      values (${fields.name}, ${fields.provider}, ${fields.modelId}, ${fields.description},
        ${sql.json(fields.params)}, ${fields.knowledgeCutoff}, ${fields.active},
        ${fields.inputTokenCost}, ${fields.outputTokenCost}, ${fields.dailyCapUsd})
      returning id`;
  if (fields.promptTemplate !== null) await addPromptVersion(sql, id, fields.promptTemplate);
  return id;
}

/** Creates a model and version 1 of its prompt in one transaction; returns it. */
export async function createModel(sql: Sql, fields: ModelFields): Promise<Model> {
  const id = await sql.begin((tx) => insertModel(tx, fields));
  return (await getModel(sql, id))!;
}

/**
 * Replaces the model's fields in one transaction; a changed prompt template becomes a new
 * version. Returns the model, or null when there is no such model.
 */
export async function updateModel(
  sql: Sql,
  id: number,
  fields: ModelFields,
): Promise<Model | null> {
  const found = await sql.begin(async (tx) => {
    const updated = await tx`
      update model set name = ${fields.name}, provider = ${fields.provider},
        model_id = ${fields.modelId}, description = ${fields.description},
        params = ${tx.json(fields.params)}, knowledge_cutoff = ${fields.knowledgeCutoff},
        active = ${fields.active}, input_token_cost = ${fields.inputTokenCost},
        output_token_cost = ${fields.outputTokenCost}, daily_cap_usd = ${fields.dailyCapUsd},
        updated_at = now()
      where id = ${id}`;
    if (updated.count === 0) return false;
    if (fields.promptTemplate !== null) await addPromptVersion(tx, id, fields.promptTemplate);
    return true;
  });
  return found ? await getModel(sql, id) : null;
}

/** Every prompt version of a model, newest first. */
export async function promptVersions(sql: ISql, modelId: number): Promise<PromptVersion[]> {
  return await sql<PromptVersion[]>`
    select id, version, template, template_hash as hash, created_at as "createdAt"
    from model_prompt where model_id = ${modelId} order by version desc`;
}

/**
 * Creates `models` when the model table is empty; afterwards it does nothing, so an admin's edits
 * and retirements are never overwritten. Returns how many it created.
 */
export async function seedModels(sql: Sql, models: ModelFields[]): Promise<number> {
  return await sql.begin(async (tx) => {
    // Serialises concurrent first starts: the second waits, then sees a non-empty table.
    await tx`lock table model in share row exclusive mode`;
    const [{ empty }] = await tx<{ empty: boolean }[]>`
      select not exists (select 1 from model) as empty`;
    if (!empty) return 0;
    for (const fields of models) await insertModel(tx, fields);
    return models.length;
  });
}
