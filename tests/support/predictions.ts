// Stores test models, prompts and predictions with plain SQL (test support only: the app's
// insert side is lib/predictions/store.ts). Stocks and news must already be stored.
import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import type { Direction, PredictionMode } from "../../lib/predict/types.ts";
import type { PredictionOutcome } from "../../lib/predictions/query.ts";

export interface TestModelSpec {
  name: string;
  provider?: "builtin" | "openai" | "openrouter";
  /** LLM models get a version-1 prompt, which their predictions point at. */
  prompt?: string;
}

/** Stores models (and their prompts); returns their ids in order. */
export async function addTestModels(sql: Sql, specs: TestModelSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const spec of specs) {
    const provider = spec.provider ?? "builtin";
    const [{ id }] = await sql<{ id: number }[]>`
      insert into model (name, provider, model_id)
      values (${spec.name}, ${provider}, ${spec.name.toLowerCase()})
      returning id`;
    if (spec.prompt !== undefined) {
      const hash = createHash("sha256").update(spec.prompt).digest("hex");
      await sql`
        insert into model_prompt (model_id, version, template, template_hash)
        values (${id}, 1, ${spec.prompt}, ${hash})`;
    }
    ids.push(id);
  }
  return ids;
}

export interface TestPredictionSpec {
  /** A stored model's name. */
  model: string;
  /** A stored stock's symbol. */
  symbol: string;
  asOf: string;
  horizon?: number;
  direction: Direction;
  confidence: number;
  reasoning?: string | null;
  citedNewsIds?: number[];
  mode?: PredictionMode;
  contaminated?: boolean;
  /** Made for this A/B test (created on first use) as `variant`. */
  abTest?: { name: string; variant: string };
  cost?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  /** Labelled as if the evaluate job had run (entry close 100). */
  outcome?: PredictionOutcome;
}

/** Stores predictions in the order given (so ids ascend with it); returns their ids. */
export async function addTestPredictions(
  sql: Sql,
  specs: TestPredictionSpec[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const spec of specs) {
    const abTestId = spec.abTest === undefined ? null : (await sql<{ id: number }[]>`
      insert into ab_test (name, variants) values (${spec.abTest.name}, '[]')
      on conflict (name) do update set name = excluded.name
      returning id`)[0].id;
    const [stored] = await sql<{ id: number }[]>`
      insert into prediction (model_id, stock_id, as_of, horizon, direction, confidence, reasoning,
        cited_news_ids, shown_news_ids, ab_test_id, variant, mode, contaminated, input_tokens,
        output_tokens, cost, prompt_id)
      select m.id, s.id, ${spec.asOf}::timestamptz, ${spec.horizon ?? 5}, ${spec.direction},
        ${spec.confidence}, ${spec.reasoning ?? null}, ${spec.citedNewsIds ?? []}::bigint[],
        ${spec.citedNewsIds ?? []}::bigint[], ${abTestId}, ${spec.abTest?.variant ?? null},
        ${spec.mode ?? "live"}, ${spec.contaminated ?? false}, ${spec.inputTokens ?? null},
        ${spec.outputTokens ?? null}, ${spec.cost ?? null},
        (select mp.id from model_prompt mp where mp.model_id = m.id and mp.version = 1)
      from model m, stock s
      where m.name = ${spec.model} and s.symbol = ${spec.symbol}
      returning id`;
    if (!stored) throw new Error(`no model ${spec.model} or no stock ${spec.symbol} stored`);
    const { id } = stored;
    if (spec.outcome) {
      const { realizedReturn, result } = spec.outcome;
      await sql`
        insert into prediction_outcome (prediction_id, entry_date, exit_date, entry_close,
          exit_close, realized_return, result, flat_threshold)
        select ${id}, p.as_of::date + 1, p.as_of::date + 1 + p.horizon, 100,
          ${100 * (1 + realizedReturn)}, ${realizedReturn}, ${result}, 0.002
        from prediction p where p.id = ${id}`;
    }
    ids.push(id);
  }
  return ids;
}
