// The outcome of a model's test run (test_run.ts): what it was shown, the prompt it was sent, its
// raw answer, and the forecast or the reason the answer was rejected, with tokens and cost.
import type { LlmProvider } from "../../lib/models/model.ts";
import { count, percent } from "../../lib/predict/format.ts";
import type { LlmPrediction } from "../../lib/predict/llm.ts";
import type { RenderedPrompt } from "../../lib/predict/prompt.ts";
import { type Forecast, isAbstention, type ModelAnswer } from "../../lib/predict/types.ts";
import { DirectionLabel } from "../DirectionLabel.tsx";
import { UtcTime } from "../UtcTime.tsx";
import { Banner } from "./FlashBanner.tsx";
import type { TestRun, TestRunInputs } from "../../lib/predict/test_run.ts";

const API_KEY_VARIABLES: Record<LlmProvider, string> = {
  openai: "OPENAI_API_KEY",
  openrouter: "OPENROUTER_API_KEY",
};

function Shown({ inputs }: { inputs: TestRunInputs }) {
  return (
    <p>
      {inputs.symbol}, {count(inputs.horizon, "trading day")} ahead, as of its latest close{" "}
      <UtcTime date={inputs.asOf} />. Shown {count(inputs.bars, "daily bar")},{" "}
      {count(inputs.news, "news item")} and {count(inputs.similar, "similar past item")}.
    </p>
  );
}

function ForecastFacts({ forecast }: { forecast: Forecast }) {
  return (
    <dl class="facts">
      <dt>Direction</dt>
      <dd>
        <DirectionLabel direction={forecast.direction} />
      </dd>
      <dt>Confidence</dt>
      <dd>{percent(forecast.confidence)}</dd>
      <dt>Reasoning</dt>
      <dd class="reasoning-text">{forecast.reasoning}</dd>
      <dt>Cited news</dt>
      <dd>{forecast.citedNewsIds.length ? forecast.citedNewsIds.join(", ") : "none"}</dd>
    </dl>
  );
}

function Answer({ answer }: { answer: ModelAnswer }) {
  return isAbstention(answer)
    ? <p>The model abstained: {answer.abstain}</p>
    : <ForecastFacts forecast={answer} />;
}

function Prompt({ prompt }: { prompt: RenderedPrompt }) {
  return (
    <details class="test-run-prompt">
      <summary>The prompt sent</summary>
      <h4>System message</h4>
      <pre class="prompt-text">{prompt.system}</pre>
      <h4>User message</h4>
      <pre class="prompt-text">{prompt.user}</pre>
    </details>
  );
}

function LlmAnswer({ prediction }: { prediction: LlmPrediction }) {
  const { usage } = prediction;
  return (
    <>
      <h4>Raw answer</h4>
      {prediction.answer === null
        ? <p class="muted">No answer came back.</p>
        : <pre class="raw-answer">{prediction.answer}</pre>}
      <h4>{prediction.ok ? "Forecast" : "Rejected"}</h4>
      {prediction.ok
        ? <ForecastFacts forecast={prediction.forecast} />
        : <p class="error-text">{prediction.error}</p>}
      <p class="muted">
        {count(usage.inputTokens, "input token")},{" "}
        {count(usage.outputTokens, "output token")}, cost ${prediction.cost.toFixed(6)},{" "}
        {prediction.latencyMs} ms, {count(prediction.attempts, "attempt")}.
      </p>
    </>
  );
}

export function TestRunResult({ run }: { run: TestRun }) {
  return (
    <section class="test-run-result" aria-labelledby="test-run-title" aria-live="polite">
      <h3 id="test-run-title">Test run result</h3>
      {run.kind === "no-prices"
        ? (
          <Banner
            tone="error"
            message={`${run.symbol} has no prices yet: nothing to predict from.`}
          />
        )
        : (
          <>
            <Shown inputs={run.inputs} />
            {run.kind === "builtin" && <Answer answer={run.answer} />}
            {run.kind === "no-api-key" && (
              <Banner
                tone="error"
                message={`No API key for ${run.provider}: set ${
                  API_KEY_VARIABLES[run.provider]
                } to test-run this model. Nothing was sent; this is the prompt it would get.`}
              />
            )}
            {run.kind !== "builtin" && <Prompt prompt={run.prompt} />}
            {run.kind === "llm" && <LlmAnswer prediction={run.prediction} />}
          </>
        )}
    </section>
  );
}
