// Asks an LLM for one forecast. One call; when the answer is not a valid forecast (wrong format,
// hallucinated citations, cut off at the token limit), exactly one more call with the bad answer
// and what was wrong with it added to the conversation. A refusal, a content-filter stop or an API
// failure ends the attempt at once: the caller records a failed attempt, never a made-up
// prediction. Usage and cost count every call, the retry included: the daily cap depends on it.
import { ApiCallError, oneLine } from "../net/openai_api.ts";
import { FORECAST_RESPONSE_FORMAT, type ForecastParse, parseForecast } from "./forecast_schema.ts";
import {
  type ChatMessage,
  type ChatReply,
  ChatResponseError,
  type LlmClient,
  type TokenUsage,
} from "./llm_client.ts";
import type { RenderedPrompt } from "./prompt.ts";
import type { Forecast } from "./types.ts";

/** Answers asked for at most: the first and one retry after an invalid answer. */
const MAX_ANSWERS = 2;

export interface LlmParams {
  temperature: number;
  maxTokens: number;
}

/**
 * For parameters a model does not set. Temperature 0: the same inputs should give the same
 * forecast, so that replays and A/B comparisons measure the prompt, not sampling noise. The token
 * limit leaves room for the longest allowed reasoning (about 500 tokens) and the JSON around it.
 */
export const DEFAULT_LLM_PARAMS: LlmParams = { temperature: 0, maxTokens: 1_000 };

export interface LlmPredictionRequest {
  /** The provider's model id: "gpt-4o-mini", "anthropic/claude-3.5-haiku"… */
  model: string;
  params: LlmParams;
  prompt: RenderedPrompt;
  /** The horizon asked for: the answer must repeat it. */
  horizon: number;
  /** Ids of the news in the prompt: the only ones the answer may cite. */
  shownIds: readonly number[];
  /** US dollars per token. */
  prices: { input: number; output: number };
}

/** What every outcome records: summed over all calls, and the last raw answer (null: none). */
export interface LlmCallRecord {
  usage: TokenUsage;
  /** US dollars. */
  cost: number;
  answer: string | null;
  latencyMs: number;
  /** Answers asked for: 1, or 2 after an invalid first answer. */
  attempts: number;
}

/** A forecast, or why there is none (recorded as a failed attempt). */
export type LlmOutcome = { ok: true; forecast: Forecast } | { ok: false; error: string };

export type LlmPrediction = LlmOutcome & LlmCallRecord;

/** One forecast from `client`. Throws only the abort reason when `signal` aborts. */
export async function predictWithLlm(
  client: LlmClient,
  request: LlmPredictionRequest,
  signal?: AbortSignal,
): Promise<LlmPrediction> {
  const started = performance.now();
  const { model, params, prompt, prices } = request;
  const messages: ChatMessage[] = [
    { role: "system", content: prompt.system },
    { role: "user", content: prompt.user },
  ];
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let answer: string | null = null;
  let attempts = 0;
  const finish = (outcome: LlmOutcome): LlmPrediction => ({
    ...outcome,
    usage: { ...usage },
    cost: usage.inputTokens * prices.input + usage.outputTokens * prices.output,
    answer,
    latencyMs: Math.round(performance.now() - started),
    attempts,
  });

  for (;;) {
    attempts++;
    let reply: ChatReply;
    try {
      reply = await client.chat({
        model,
        messages,
        temperature: params.temperature,
        maxTokens: params.maxTokens,
        responseFormat: FORECAST_RESPONSE_FORMAT,
      }, signal);
    } catch (error) {
      if (error instanceof ApiCallError || error instanceof ChatResponseError) {
        return finish({ ok: false, error: error.message });
      }
      throw error;
    }
    usage.inputTokens += reply.usage.inputTokens;
    usage.outputTokens += reply.usage.outputTokens;
    answer = reply.refusal ?? reply.content;
    if (reply.refusal !== null) {
      return finish({
        ok: false,
        error: `the model refused: ${oneLine(reply.refusal).slice(0, 300)}`,
      });
    }
    if (reply.finishReason === "content_filter") {
      return finish({ ok: false, error: "the provider's content filter withheld the answer" });
    }
    const checked = checkAnswer(reply, request);
    if (checked.ok) return finish(checked);
    if (attempts >= MAX_ANSWERS) {
      return finish({
        ok: false,
        error: `invalid answer after ${attempts} attempts: ${checked.error}`,
      });
    }
    // Some providers refuse an empty assistant turn: an empty answer is described instead.
    if (reply.content?.trim()) messages.push({ role: "assistant", content: reply.content });
    messages.push({
      role: "user",
      content: `Your answer was not accepted. ${checked.error} ` +
        "Answer again with only the JSON object described above.",
    });
  }
}

/** The reply as a forecast; an answer cut off at the token limit is said to be so. */
function checkAnswer(reply: ChatReply, request: LlmPredictionRequest): ForecastParse {
  const parsed = parseForecast(reply.content ?? "", request);
  if (parsed.ok || reply.finishReason !== "length") return parsed;
  return {
    ok: false,
    error: `The answer was cut off at the limit of ${request.params.maxTokens} tokens before it ` +
      "was complete: keep the reasoning shorter.",
  };
}
