// /api/evaluations: how the models did (DESIGN §6, §8). The leaderboard and a model's page read
// the evaluate job's snapshots; comparisons and A/B results are computed on demand from scored
// predictions. Every view takes mode (live|replay), population (clean|contaminated) and, where
// it applies, window (30|90|all days of exits); see evaluations_params.ts.
//
// `significantlyAhead` (the leader's row) says whether its lead over #2 is more than chance, on
// the predictions both made: by McNemar's exact test (p < 0.05) when ranking by win rate or
// Brier score, by the paired bootstrap 95% interval of the mean strategy-return difference lying
// above 0 for every return and risk metric (evaluations_metrics.ts names each metric's test).
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { EvaluatedModel } from "../evaluate/query.ts";
import type { AppEnv } from "../http/env.ts";
import { QueryParams } from "../http/query.ts";
import { pathId, readEvaluationView, readModelPair, readRankBy } from "./evaluations_params.ts";
import {
  compareModels,
  experimentReport,
  type Lead,
  leaderboard,
  modelReport,
  type Standing,
} from "./evaluations_report.ts";

const modelJson = ({ id, name, provider, active }: EvaluatedModel) => ({
  id,
  name,
  provider,
  active,
});

const isoOrNull = (date: Date | null) => date?.toISOString() ?? null;

function standingJson(standing: Standing) {
  return {
    rank: standing.rank,
    model: modelJson(standing.model),
    ...standing.metrics,
    periodStart: standing.periodStart,
    periodEnd: standing.periodEnd,
    computedAt: isoOrNull(standing.computedAt),
    significantlyAhead: standing.significantlyAhead,
  };
}

function leadJson(lead: Lead) {
  return {
    leader: modelJson(lead.leader),
    runnerUp: modelJson(lead.runnerUp),
    test: lead.test,
    significant: lead.significant,
    comparison: lead.comparison,
    favoured: lead.favoured,
  };
}

export function evaluationsRouter(app: AppContext): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const { sql } = app.db;

  router.get("/", async (c) => {
    const query = QueryParams.of(c.req.url);
    const board = await leaderboard(sql, readEvaluationView(query), readRankBy(query));
    return c.json({
      ...board.view,
      rankBy: board.rankBy,
      models: board.standings.map(standingJson),
      lead: board.lead && leadJson(board.lead),
    });
  });

  router.get("/compare", async (c) => {
    const query = QueryParams.of(c.req.url);
    const pair = readModelPair(query);
    const { view, a, b, comparison, favoured } = await compareModels(
      sql,
      pair,
      readEvaluationView(query),
    );
    return c.json({
      ...view,
      a: { model: modelJson(a.model), ...a.metrics },
      b: { model: modelJson(b.model), ...b.metrics },
      comparison,
      favoured,
    });
  });

  router.get("/models/:id", async (c) => {
    const id = pathId(c.req.param("id"));
    const report = await modelReport(sql, id, readEvaluationView(QueryParams.of(c.req.url)));
    return c.json({
      ...report.view,
      model: modelJson(report.model),
      ...report.metrics,
      periodStart: report.periodStart,
      periodEnd: report.periodEnd,
      computedAt: isoOrNull(report.computedAt),
      calibration: report.calibration,
      curve: report.curve,
      stocks: report.stocks,
    });
  });

  router.get("/ab-tests/:id", async (c) => {
    const id = pathId(c.req.param("id"));
    const { mode, population } = readEvaluationView(QueryParams.of(c.req.url));
    const report = await experimentReport(sql, id, { mode, population }, app.config.evaluate);
    const { experiment } = report;
    return c.json({
      mode,
      population,
      experiment: {
        id: experiment.id,
        name: experiment.name,
        description: experiment.description,
        status: experiment.status,
        assignBy: experiment.assignBy,
        startsAt: isoOrNull(experiment.startsAt),
        endsAt: isoOrNull(experiment.endsAt),
      },
      variants: report.variants.map((variant) => ({
        name: variant.name,
        model: variant.model && modelJson(variant.model),
        weight: variant.weight,
        ...variant.metrics,
        calibration: variant.calibration,
      })),
      comparisons: report.comparisons,
    });
  });

  return router;
}
