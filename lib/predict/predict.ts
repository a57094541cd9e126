// Predicting one stock as of one instant, for every assigned model and horizon: the code path the
// live job and replays share. Per horizon the inputs are assembled once (inputs.ts) and every
// model sees exactly the same inputs. Existing predictions are skipped (the unique key makes a
// rerun add nothing); a model failing never stops the others; failures are recorded, never
// turned into predictions. A new live prediction's alerts are written in its transaction.
import { type Fence, LostFence } from "../jobs/fence.ts";
import { enqueuePredictionAlerts, WinRateCache } from "../alerts/enqueue.ts";
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
  /** Win rates shown in alerts, read once per model while it lives; absent: once per stock. */
  winRates?: WinRateCache;
  /** The job run's fence (lib/jobs/fence.ts); absent outside a job (replays, tasks). */
  fence?: Fence;
}

export interface StockRequest {
  stock: Stock;
  asOf: Date;
  mode: PredictionMode;
  horizons: readonly number[];
  assignments: readonly Assignment[];
}

/** Predicts every (assignment × horizon) of `request` that has no prediction yet. */
export async function predictStock(given: PredictDeps, request: StockRequest): Promise<void> {
  const deps = { ...given, winRates: given.winRates ?? new WinRateCache() };
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
        // Another process took the job over: stop at once rather than fail every prediction.
        if (error instanceof LostFence) throw error;
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
  const names = {
    symbol: inputs.stock.symbol,
    stockName: inputs.stock.name,
    modelName: model.name,
  };
  const record = async (
    forecast: Forecast,
    usage: Partial<NewPrediction> = {},
    extraRecord: Record<string, unknown> = {},
  ) => {
    const prediction: NewPrediction = {
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
    };
    const stored = await storePrediction(app, prediction, names, deps);
    tally(stored ? "predicted" : "existing");
    if (!stored) return;
    tally("alerts", stored.alerts);
    // Replays write history nobody is watching arrive; live calls go to open dashboards.
    if (inputs.mode === "live") app.newPredictions.notify();
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

/**
 * Stores a prediction and, when it is new, the alerts it raises, in one transaction: a crash
 * never leaves a prediction without its alerts, nor an alert without its prediction. Returns the
 * new prediction's id and how many alerts it wrote; null when the prediction existed.
 */
export async function storePrediction(
  app: Pick<AppContext, "db" | "config">,
  prediction: NewPrediction,
  names: { symbol: string; stockName: string; modelName: string },
  { winRates, fence }: Pick<PredictDeps, "winRates" | "fence"> = {},
): Promise<{ id: number; alerts: number } | null> {
  if (prediction.mode !== "live") {
    // Replays raise no alerts: a bare insert spares the transaction's two extra round trips.
    const id = await insertPrediction(app.db.sql, prediction);
    return id === null ? null : { id, alerts: 0 };
  }
  return await app.db.sql.begin(async (tx) => {
    // Commits only while the job run is current: a run that lost its lock writes nothing more.
    if (fence) await fence(tx);
    const id = await insertPrediction(tx, prediction);
    if (id === null) return null;
    const stored = { ...prediction, ...names, id };
    const alerts = await enqueuePredictionAlerts(
      tx,
      stored,
      new Date(),
      app.config.alerts,
      winRates,
    );
    return { id, alerts };
  });
}
