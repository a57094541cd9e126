// A model's test run on one stock: the forecast it would make now, as of the stock's latest close,
// through the same point-in-time inputs, prompt and LLM client as the predict job. Shown to the
// admin with the raw answer; never stored, and not counted against the model's daily cap.
import type { AppContext } from "../context.ts";
import { latestCloseBy } from "../market/store.ts";
import { isLlm, type LlmProvider, type Model } from "../models/model.ts";
import { BUILTIN_MODELS } from "./builtin/mod.ts";
import { assembleInputs } from "./inputs.ts";
import type { LlmPrediction } from "./llm.ts";
import { createLlmClients } from "./llm_client.ts";
import { llmRunner } from "./llm_runner.ts";
import { type RenderedPrompt, renderPrompt } from "./prompt.ts";
import type { ModelAnswer, ModelInputs } from "./types.ts";
import type { Stock } from "../stocks/stock.ts";

/** What the model was shown. */
export interface TestRunInputs {
  symbol: string;
  asOf: Date;
  horizon: number;
  bars: number;
  news: number;
  similar: number;
}

export type TestRun =
  | { kind: "no-prices"; symbol: string }
  | { kind: "builtin"; inputs: TestRunInputs; answer: ModelAnswer }
  | { kind: "no-api-key"; inputs: TestRunInputs; prompt: RenderedPrompt; provider: LlmProvider }
  | { kind: "llm"; inputs: TestRunInputs; prompt: RenderedPrompt; prediction: LlmPrediction };

/** An admin is waiting on the page: one attempt, not the job's retries over minutes. */
const TEST_RUN_RETRY = { attempts: 1 };

export async function testRunModel(
  app: AppContext,
  model: Model,
  stock: Stock,
  horizon: number,
): Promise<TestRun> {
  const { sql } = app.db;
  const asOf = await latestCloseBy(sql, stock.id, new Date());
  if (asOf === null) return { kind: "no-prices", symbol: stock.symbol };
  const inputs = await assembleInputs(
    { sql, vectors: app.vectors, embedder: app.embedder },
    { stock, asOf, horizon, mode: "live", similarK: app.config.predict.similarK },
  );
  const shown = summarise(inputs);
  if (!isLlm(model)) {
    const builtin = BUILTIN_MODELS[model.modelId];
    if (!builtin) throw new Error(`no built-in model ${JSON.stringify(model.modelId)}`);
    return { kind: "builtin", inputs: shown, answer: builtin.predict(inputs, model.params) };
  }
  const prompt = renderPrompt(model.prompt?.template ?? "", inputs);
  const clients = createLlmClients(app.config, app.log, { retry: TEST_RUN_RETRY });
  const call = llmRunner(clients)(model, inputs);
  if (call === null) return { kind: "no-api-key", inputs: shown, prompt, provider: model.provider };
  return { kind: "llm", inputs: shown, prompt, prediction: await call };
}

function summarise(inputs: ModelInputs): TestRunInputs {
  return {
    symbol: inputs.stock.symbol,
    asOf: inputs.asOf,
    horizon: inputs.horizon,
    bars: inputs.bars.length,
    news: inputs.news.length,
    similar: inputs.similar.length,
  };
}
