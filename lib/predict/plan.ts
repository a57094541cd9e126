// Which models predict a stock: every active model, except that the models of a live stock-keyed
// A/B experiment predict only the stocks assigned to them (and record the experiment and variant).
import { type Experiment, isLive } from "../experiments/experiment.ts";
import type { Model } from "../models/model.ts";
import { assignVariant } from "./ab_assign.ts";

export interface Assignment {
  model: Model;
  abTestId: number | null;
  variant: string | null;
}

/**
 * The models that predict `symbol` at `now`, in model order. A model taking part in several live
 * experiments predicts for each one the stock is assigned to it in (once, under the first).
 * Experiments keyed by user are about what people see, not what is predicted: ignored here.
 */
export function planAssignments(
  models: readonly Model[],
  experiments: readonly Experiment[],
  symbol: string,
  now: Date,
): Assignment[] {
  const active = models.filter((model) => model.active);
  const live = experiments.filter((e) => e.assignBy === "stock" && isLive(e, now));
  const inExperiment = new Set(live.flatMap((e) => e.variants.map((v) => v.modelId)));
  const assigned = new Map<number, Assignment>();
  for (const experiment of live) {
    const chosen = assignVariant(experiment.id, symbol, experiment.variants);
    const model = active.find((m) => m.id === chosen.modelId);
    if (model && !assigned.has(model.id)) {
      assigned.set(model.id, { model, abTestId: experiment.id, variant: chosen.name });
    }
  }
  return active.flatMap((model) =>
    inExperiment.has(model.id)
      ? (assigned.has(model.id) ? [assigned.get(model.id)!] : [])
      : [{ model, abTestId: null, variant: null }]
  );
}
