import assert from "node:assert/strict";
import type { Experiment } from "../experiments/experiment.ts";
import type { Model } from "../models/model.ts";
import { planAssignments } from "./plan.ts";

const NOW = new Date("2024-06-03T21:00:00Z");

function model(id: number, active = true): Model {
  return {
    id,
    name: `m${id}`,
    provider: "builtin",
    modelId: "momentum",
    description: null,
    params: {},
    knowledgeCutoff: null,
    active,
    inputTokenCost: 0,
    outputTokenCost: 0,
    dailyCapUsd: null,
    prompt: null,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function experiment(overrides: Partial<Experiment> = {}): Experiment {
  return {
    id: 7,
    name: "momentum vs tone",
    description: null,
    variants: [{ name: "A", modelId: 2, weight: 1 }, { name: "B", modelId: 3, weight: 1 }],
    status: "running",
    assignBy: "stock",
    startsAt: new Date("2024-06-01T00:00:00Z"),
    endsAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

const ids = (plan: ReturnType<typeof planAssignments>) => plan.map((a) => [a.model.id, a.variant]);

Deno.test("without experiments every active model predicts every stock", () => {
  const models = [model(1), model(2), model(3, false)];
  assert.deepEqual(ids(planAssignments(models, [], "AAPL", NOW)), [[1, null], [2, null]]);
});

Deno.test("a live experiment's models predict only their assigned stocks, recorded", () => {
  const models = [model(1), model(2), model(3)];
  const symbols = Array.from({ length: 200 }, (_, i) => `S${i}`);
  const seen = { A: 0, B: 0 };
  for (const symbol of symbols) {
    const plan = planAssignments(models, [experiment()], symbol, NOW);
    assert.equal(plan.length, 2, "model 1 plus exactly one variant");
    assert.deepEqual(plan[0], { model: models[0], abTestId: null, variant: null });
    const variant = plan[1].variant as "A" | "B";
    assert.equal(plan[1].abTestId, 7);
    assert.equal(plan[1].model.id, variant === "A" ? 2 : 3);
    seen[variant]++;
    // Stable: the same stock gets the same variant on every run.
    assert.deepEqual(planAssignments(models, [experiment()], symbol, NOW)[1].variant, variant);
  }
  assert.ok(seen.A > 60 && seen.B > 60, JSON.stringify(seen));
});

Deno.test("drafts, stopped, future, ended and user-keyed experiments change nothing", () => {
  const models = [model(1), model(2), model(3)];
  const all = [[1, null], [2, null], [3, null]];
  for (
    const e of [
      experiment({ status: "draft" }),
      experiment({ status: "stopped" }),
      experiment({ startsAt: new Date("2024-07-01T00:00:00Z") }),
      experiment({ endsAt: NOW }),
      experiment({ assignBy: "user" }),
    ]
  ) {
    assert.deepEqual(ids(planAssignments(models, [e], "AAPL", NOW)), all);
  }
});

Deno.test("an inactive variant model predicts nothing; its stocks are not reassigned", () => {
  const models = [model(1), model(2, false), model(3)];
  for (const symbol of ["AAPL", "MSFT", "TSLA", "NVDA", "AMZN", "META"]) {
    const plan = planAssignments(models, [experiment()], symbol, NOW);
    assert.ok(plan.every((a) => a.model.id !== 2));
    assert.ok(plan.length === 1 || plan[1].variant === "B");
  }
});
