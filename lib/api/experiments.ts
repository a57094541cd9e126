// /api/ab-tests (admin): A/B experiments. A draft is edited or deleted freely; POST …/start and
// …/stop move it draft → running → stopped (never back), and GET …/:id includes per-variant results.
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { canMove, type Experiment, type ExperimentStatus } from "../experiments/experiment.ts";
import {
  createExperiment,
  deleteDraft,
  experimentResults,
  getExperiment,
  listExperiments,
  moveExperiment,
  updateDraft,
} from "../experiments/store.ts";
import { parseExperimentFields } from "../experiments/validate.ts";
import type { AppEnv } from "../http/env.ts";
import { BadRequest, Conflict, NotFound } from "../http/errors.ts";
import { readJson } from "../http/json_body.ts";
import { listModels } from "../models/store.ts";

function experimentJson(experiment: Experiment) {
  return {
    ...experiment,
    startsAt: experiment.startsAt?.toISOString() ?? null,
    endsAt: experiment.endsAt?.toISOString() ?? null,
    createdAt: experiment.createdAt.toISOString(),
    updatedAt: experiment.updatedAt.toISOString(),
  };
}

function idParam(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || id < 1) throw new BadRequest(`not an experiment id: ${raw}`);
  return id;
}

async function saving<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (isUniqueViolation(error, "ab_test_name_key")) {
      throw new Conflict("an experiment with this name exists");
    }
    throw error;
  }
}

export function experimentsRouter(app: AppContext): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const { sql } = app.db;
  const existing = async (raw: string) => {
    const experiment = await getExperiment(sql, idParam(raw));
    if (!experiment) throw new NotFound(`no experiment ${raw}`);
    return experiment;
  };
  const modelIds = async () => new Set((await listModels(sql)).map((model) => model.id));

  router.get(
    "/",
    async (c) => c.json({ experiments: (await listExperiments(sql)).map(experimentJson) }),
  );

  router.post("/", async (c) => {
    const ids = await modelIds();
    const fields = parseExperimentFields(await readJson(c), (id) => ids.has(id));
    const experiment = await saving(() => createExperiment(sql, fields));
    return c.json({ experiment: experimentJson(experiment) }, 201);
  });

  router.get("/:id", async (c) => {
    const experiment = await existing(c.req.param("id"));
    return c.json({
      experiment: experimentJson(experiment),
      results: await experimentResults(sql, experiment.id),
    });
  });

  router.patch("/:id", async (c) => {
    const current = await existing(c.req.param("id"));
    if (current.status !== "draft") {
      throw new Conflict(`only a draft can be edited; this experiment is ${current.status}`);
    }
    const ids = await modelIds();
    const fields = parseExperimentFields(await readJson(c), (id) => ids.has(id), current);
    const experiment = await saving(() => updateDraft(sql, current.id, fields));
    if (!experiment) throw new Conflict("the experiment left draft while being edited");
    return c.json({ experiment: experimentJson(experiment) });
  });

  const move = (to: ExperimentStatus) => async (c: { req: { param(name: string): string } }) => {
    const current = await existing(c.req.param("id"));
    if (!canMove(current.status, to)) {
      throw new Conflict(`a ${current.status} experiment cannot become ${to}`);
    }
    const moved = await moveExperiment(sql, current.id, current.status, to);
    if (!moved) throw new Conflict("the experiment changed status meanwhile; reload it");
    return moved;
  };
  router.post(
    "/:id/start",
    async (c) => c.json({ experiment: experimentJson(await move("running")(c)) }),
  );
  router.post(
    "/:id/stop",
    async (c) => c.json({ experiment: experimentJson(await move("stopped")(c)) }),
  );

  router.delete("/:id", async (c) => {
    const current = await existing(c.req.param("id"));
    if (!(await deleteDraft(sql, current.id))) {
      throw new Conflict(`only a draft can be deleted; this experiment is ${current.status}`);
    }
    return c.body(null, 204);
  });

  return router;
}
