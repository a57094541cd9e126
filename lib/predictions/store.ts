// The write side of predictions (lib/predictions/query.ts reads them for the API and pages):
// one prediction per (model, stock, as_of, horizon), failed attempts apart, and daily spend.
import type { ISql } from "postgres";
import type { Direction, PredictionMode } from "../predict/types.ts";

/** What a model run produced, with its full run record. */
export interface NewPrediction {
  modelId: number;
  stockId: number;
  asOf: Date;
  horizon: number;
  direction: Direction;
  confidence: number;
  reasoning: string;
  citedNewsIds: number[];
  shownNewsIds: number[];
  promptId: number | null;
  abTestId: number | null;
  variant: string | null;
  mode: PredictionMode;
  contaminated: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number | null;
  latencyMs: number | null;
  inputsHash: string;
  runRecord: Record<string, unknown>;
}

/** Inserts the prediction unless its (model, stock, as_of, horizon) exists; its id, else null. */
export async function insertPrediction(sql: ISql, p: NewPrediction): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`
    insert into prediction (model_id, stock_id, as_of, horizon, direction, confidence, reasoning,
      cited_news_ids, shown_news_ids, prompt_id, ab_test_id, variant, mode, contaminated,
      input_tokens, output_tokens, cost, latency_ms, inputs_hash, run_record)
    values (${p.modelId}, ${p.stockId}, ${p.asOf}, ${p.horizon}, ${p.direction}, ${p.confidence},
      ${p.reasoning}, ${p.citedNewsIds}::bigint[], ${p.shownNewsIds}::bigint[], ${p.promptId},
      ${p.abTestId}, ${p.variant}, ${p.mode}, ${p.contaminated}, ${p.inputTokens},
      ${p.outputTokens}, ${p.cost}, ${p.latencyMs}, ${p.inputsHash}, ${
    sql.json(p.runRecord as never)
  })
    on conflict on constraint prediction_model_stock_as_of_horizon_key do nothing
    returning id`;
  return row?.id ?? null;
}

/** A model call that produced no prediction. */
export interface FailedAttempt {
  modelId: number;
  stockId: number;
  asOf: Date;
  horizon: number;
  mode: PredictionMode;
  error: string;
  answer: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number;
  runRecord: Record<string, unknown>;
}

/** Answers are kept for diagnosis, cut to this many characters. */
const MAX_ANSWER = 4_000;

export async function recordAttempt(sql: ISql, a: FailedAttempt): Promise<void> {
  await sql`
    insert into prediction_attempt (model_id, stock_id, as_of, horizon, mode, error, answer,
      input_tokens, output_tokens, cost, run_record)
    values (${a.modelId}, ${a.stockId}, ${a.asOf}, ${a.horizon}, ${a.mode},
      ${a.error.slice(0, MAX_ANSWER)}, ${a.answer?.slice(0, MAX_ANSWER) ?? null}, ${a.inputTokens},
      ${a.outputTokens}, ${a.cost}, ${sql.json(a.runRecord as never)})`;
}

/** US dollars a model spent since 00:00 UTC of `now`'s day, predictions and failures alike. */
export async function spentToday(sql: ISql, modelId: number, now: Date): Promise<number> {
  const since = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const [{ spent }] = await sql<{ spent: number }[]>`
    select coalesce((select sum(cost) from prediction
        where model_id = ${modelId} and created_at >= ${since}), 0)
      + coalesce((select sum(cost) from prediction_attempt
        where model_id = ${modelId} and created_at >= ${since}), 0) as spent`;
  return Number(spent);
}

/** `${modelId}:${horizon}` of the predictions a stock already has as of `asOf`. */
export async function existingPredictions(
  sql: ISql,
  stockId: number,
  asOf: Date,
): Promise<Set<string>> {
  const rows = await sql<{ model_id: number; horizon: number }[]>`
    select model_id, horizon from prediction where stock_id = ${stockId} and as_of = ${asOf}`;
  return new Set(rows.map((row) => `${row.model_id}:${row.horizon}`));
}

/** A stored prediction as the look-ahead check re-runs it. */
export interface StoredPredictionInputs {
  id: number;
  modelName: string;
  stockId: number;
  asOf: Date;
  horizon: number;
  mode: PredictionMode;
  inputsHash: string;
  runRecord: { inputs?: Record<string, string>; retrieval?: { k?: number } };
}

/** A random sample of predictions that carry an inputs hash. */
export async function samplePredictions(
  sql: ISql,
  size: number,
): Promise<StoredPredictionInputs[]> {
  return await sql<StoredPredictionInputs[]>`
    select p.id, m.name as "modelName", p.stock_id as "stockId", p.as_of as "asOf", p.horizon,
      p.mode, p.inputs_hash as "inputsHash", p.run_record as "runRecord"
    from prediction p join model m on m.id = p.model_id
    where p.inputs_hash is not null
    order by random()
    limit ${size}`;
}
