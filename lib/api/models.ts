// /api/models (admin): the model registry. POST creates, PATCH edits (a changed prompt becomes a
// new version; predictions keep the version that made them), GET …/prompts lists the versions.
// Models are never deleted — predictions point at them — but retired with `active: false`.
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { AppEnv } from "../http/env.ts";
import { BadRequest, Conflict, NotFound } from "../http/errors.ts";
import { readJson } from "../http/json_body.ts";
import type { Model } from "../models/model.ts";
import {
  createModel,
  getModel,
  listModels,
  type ModelFields,
  promptVersions,
  updateModel,
} from "../models/store.ts";
import { parseModelFields } from "../models/validate.ts";

function modelJson(model: Model) {
  return {
    ...model,
    prompt: model.prompt && { ...model.prompt, createdAt: model.prompt.createdAt.toISOString() },
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
  };
}

function modelIdParam(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || id < 1) throw new BadRequest(`not a model id: ${raw}`);
  return id;
}

/** Saves, turning a taken name into a 409. */
async function saving<T>(fields: ModelFields, save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (isUniqueViolation(error, "model_name_key")) {
      throw new Conflict(`a model named ${JSON.stringify(fields.name)} exists`);
    }
    throw error;
  }
}

export function modelsRouter(app: AppContext): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const { sql } = app.db;
  const existing = async (raw: string) => {
    const model = await getModel(sql, modelIdParam(raw));
    if (!model) throw new NotFound(`no model ${raw}`);
    return model;
  };

  router.get("/", async (c) => c.json({ models: (await listModels(sql)).map(modelJson) }));

  router.post("/", async (c) => {
    const fields = parseModelFields(await readJson(c));
    const model = await saving(fields, () => createModel(sql, fields));
    return c.json({ model: modelJson(model) }, 201);
  });

  router.get("/:id", async (c) => c.json({ model: modelJson(await existing(c.req.param("id"))) }));

  router.patch("/:id", async (c) => {
    const current = await existing(c.req.param("id"));
    const fields = parseModelFields(await readJson(c), current);
    if (fields.provider !== current.provider) {
      throw new BadRequest("provider cannot change: create a new model instead");
    }
    const model = await saving(fields, () => updateModel(sql, current.id, fields));
    if (!model) throw new NotFound(`no model ${current.id}`);
    return c.json({ model: modelJson(model) });
  });

  router.get("/:id/prompts", async (c) => {
    const model = await existing(c.req.param("id"));
    const versions = await promptVersions(sql, model.id);
    return c.json({
      prompts: versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
    });
  });

  return router;
}
