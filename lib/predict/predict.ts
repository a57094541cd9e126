// Predicting one stock as of one instant, for every assigned model and horizon: the code path the
// live job and replays share. Per horizon the inputs are assembled once (inputs.ts) and every
// model sees exactly the same inputs. Existing predictions are skipped (the unique key makes a
// rerun add nothing); a model failing never stops the others; failures are recorded, never
// turned into predictions.
import type { AppContext } from "../context.ts";
import type { JobCounts } from "../jobs/job.ts";
import type { Logger } from "../log.ts";
import { isContaminated, isLlm, type LlmProvider, type Model } from "../models/model.ts";
import {
  existingPredictions,
  insertPrediction,
  type NewPrediction,
  recordAttempt,
  spentToday,
} from "../predictions/store.ts";
import type { Stock } from "../stocks/stock.ts";
import type { LlmPrediction } from "./llm.ts";
import { BUILTIN_MODELS } from "./builtin/mod.ts";
import { assembleInputs, fingerprintInputs, type InputsFingerprint } from "./inputs.ts";
import type { Assignment } from "./plan.ts";
import {
  type Forecast,
  isAbstention,
  type ModelInputs,
  type PredictionMode,
  shownNewsIds,
} from "./types.ts";

/** What one LLM call (with its one retry) came to. */
export type LlmOutcome =
  & {
    inputTokens: number;
    outputTokens: number;
    cost: number;
    latencyMs: number;
    answer: string | null;
  }
  & ({ ok: true; forecast: Forecast } | { ok: false; error: string });

/** Calls an LLM model; null when its provider has no API key configured. */
export type LlmRunner = (
  model: Model & { provider: LlmProvider },
  inputs: ModelInputs,
  signal?: AbortSignal,
) => Promise<LlmPrediction> | null;

/** Run-wide counts (JobCounts) incremented by name: predicted, existing, failed, skipped.… */
export type Tally = (key: string, by?: number) => void;

/** A tally writing into `counts`. */
export function tallyInto(counts: JobCounts): Tally {
  return (key, by = 1) => {
    if (by !== 0) counts[key] = (counts[key] ?? 0) + by;
  };
}

/** Today's spend per model, loaded once per run and kept current as calls are paid for. */
export class SpendingGuard {
  readonly #spent = new Map<number, Promise<number>>();
  constructor(private readonly app: AppContext, private readonly now: () => Date) {}

  async exhausted(model: Model): Promise<boolean> {
    if (model.dailyCapUsd === null) return false;
    return (await this.#of(model)) >= model.dailyCapUsd;
  }

  add(model: Model, cost: number): void {
    this.#spent.set(model.id, this.#of(model).then((spent) => spent + cost));
  }

  #of(model: Model): Promise<number> {
    let spent = this.#spent.get(model.id);
    if (!spent) {
      spent = spentToday(this.app.db.sql, model.id, this.now());
      this.#spent.set(model.id, spent);
    }
    return spent;
  }
}

export interface PredictDeps {
  app: AppContext;
  llm: LlmRunner;
  spending: SpendingGuard;
  log: Logger;
  tally: Tally;
  signal?: AbortSignal;
}

export interface StockRequest {
  stock: Stock;
  asOf: Date;
  mode: PredictionMode;
  horizons: readonly number[];
  assignments: readonly Assignment[];
}

/** Predicts every (assignment × horizon) of `request` that has no prediction yet. */
export async function predictStock(deps: PredictDeps, request: StockRequest): Promise<void> {
  const { app, tally } = deps;
  const { stock, asOf, mode } = request;
  const existing = await existingPredictions(app.db.sql, stock.id, asOf);
  for (const horizon of request.horizons) {
    const todo = request.assignments.filter((a) => !existing.has(`${a.model.id}:${horizon}`));
    tally("existing", request.assignments.length - todo.length);
    if (todo.length === 0 || deps.signal?.aborted) continue;
    const ports = { sql: app.db.sql, vectors: app.vectors, embedder: app.embedder };
    const inputs = await assembleInputs(ports, {
      stock,
      asOf,
      horizon,
      mode,
      similarK: app.config.predict.similarK,
    });
    if (inputs.bars.length === 0) {
      tally("skipped.no_prices", todo.length);
      continue;
    }
    const fingerprint = await fingerprintInputs(inputs);
    for (const assignment of todo) {
      if (deps.signal?.aborted) return;
      await predictOne(deps, assignment, inputs, fingerprint).catch((error) => {
        tally("failed");
        deps.log.error("prediction failed", {
          model: assignment.model.name,
          symbol: stock.symbol,
          horizon,
          error,
        });
      });
    }
  }
}

async function predictOne(
  deps: PredictDeps,
  assignment: Assignment,
  inputs: ModelInputs,
  fingerprint: InputsFingerprint,
): Promise<void> {
  const { app, tally } = deps;
  const { model } = assignment;
  const runRecord = {
    provider: model.provider,
    providerModelId: model.modelId,
    params: model.params,
    prompt: model.prompt && { version: model.prompt.version, hash: model.prompt.hash },
    embedder: app.embedder.id,
    retrieval: inputs.retrieval,
    inputs: { bars: fingerprint.bars, news: fingerprint.news, similar: fingerprint.similar },
  };
  const base = {
    modelId: model.id,
    stockId: inputs.stock.id,
    asOf: inputs.asOf,
    horizon: inputs.horizon,
    mode: inputs.mode,
  };
  const record = async (
    forecast: Forecast,
    usage: Partial<NewPrediction> = {},
    extraRecord: Record<string, unknown> = {},
  ) => {
    const inserted = await insertPrediction(app.db.sql, {
      ...base,
      direction: forecast.direction,
      confidence: forecast.confidence,
      reasoning: forecast.reasoning,
      citedNewsIds: forecast.citedNewsIds,
      shownNewsIds: shownNewsIds(inputs),
      promptId: model.prompt?.id ?? null,
      abTestId: assignment.abTestId,
      variant: assignment.variant,
      contaminated: isLlm(model) && isContaminated(model, inputs.asOf),
      inputTokens: null,
      outputTokens: null,
      cost: null,
      latencyMs: null,
      inputsHash: fingerprint.all,
      runRecord: { ...runRecord, ...extraRecord },
      ...usage,
    });
    tally(inserted ? "predicted" : "existing");
    // Replays write history nobody is watching arrive; live calls go to open dashboards.
    if (inserted && inputs.mode === "live") app.newPredictions.notify();
  };

  if (!isLlm(model)) {
    const builtin = BUILTIN_MODELS[model.modelId];
    if (!builtin) return tally(`skipped.unknown_builtin`);
    const answer = builtin.predict(inputs, model.params);
    if (isAbstention(answer)) return tally("abstained");
    return await record(answer);
  }

  if (await deps.spending.exhausted(model)) return tally("skipped.daily_cap");
  const call = deps.llm(model, inputs, deps.signal);
  if (call === null) return tally("skipped.no_api_key");
  const outcome = await call;
  deps.spending.add(model, outcome.cost);
  const usage = {
    inputTokens: outcome.usage.inputTokens,
    outputTokens: outcome.usage.outputTokens,
    cost: outcome.cost,
    latencyMs: outcome.latencyMs,
  };
  if (outcome.ok) {
    return await record(outcome.forecast, usage, { attempts: outcome.attempts });
  }
  await recordAttempt(app.db.sql, {
    ...base,
    error: outcome.error,
    answer: outcome.answer,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cost: usage.cost,
    runRecord: { ...runRecord, attempts: outcome.attempts },
  });
  tally("failed");
  deps.log.warn("model answer rejected", {
    model: model.name,
    symbol: inputs.stock.symbol,
    error: outcome.error,
  });
}
