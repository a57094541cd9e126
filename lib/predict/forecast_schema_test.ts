import assert from "node:assert/strict";
import {
  FORECAST_JSON_SCHEMA,
  FORECAST_RESPONSE_FORMAT,
  MAX_REASONING_CHARS,
  parseForecast,
} from "./forecast_schema.ts";

const EXPECTED = { horizon: 5, shownIds: [101, 102, 55] };
const VALID = {
  direction: "down",
  confidence: 0.7,
  horizon: 5,
  reasoning: "RSI14 is 78.2 and [102] reports a guidance cut.",
  citedNewsIds: [102],
};

function errorOf(answer: unknown): string {
  const text = typeof answer === "string" ? answer : JSON.stringify(answer);
  const result = parseForecast(text, EXPECTED);
  assert.ok(!result.ok, `expected a rejection of ${text}`);
  return result.error;
}

Deno.test("a valid answer becomes the forecast; whitespace around reasoning is trimmed", () => {
  const result = parseForecast(
    JSON.stringify({ ...VALID, reasoning: `  ${VALID.reasoning}\n` }),
    EXPECTED,
  );
  assert.deepEqual(result, { ok: true, forecast: VALID });
  const bounds = [0, 1].map((confidence) =>
    parseForecast(JSON.stringify({ ...VALID, confidence, citedNewsIds: [] }), EXPECTED).ok
  );
  assert.deepEqual(bounds, [true, true]);
});

Deno.test("fenced JSON is accepted; prose, or JSON with prose around it, is not", () => {
  for (const fence of ["```json\n", "```\n", "```JSON \n"]) {
    const result = parseForecast(`${fence}${JSON.stringify(VALID)}\n\`\`\`\n`, EXPECTED);
    assert.ok(result.ok, fence);
  }
  assert.match(errorOf("The stock will probably go up."), /^The answer is not JSON: send only/);
  assert.match(errorOf(`Sure! ${JSON.stringify(VALID)}`), /^The answer is not JSON/);
  assert.match(
    errorOf(`${JSON.stringify(VALID)}\nHope this helps.`),
    /^The answer is not valid JSON/,
  );
  assert.match(errorOf(""), /^The answer is empty\.$/);
  assert.match(errorOf("[1, 2]"), /must be a JSON object, not an array/);
});

Deno.test("truncated JSON is not valid JSON", () => {
  const cut = JSON.stringify(VALID).slice(0, 40);
  assert.match(errorOf(cut), /^The answer is not valid JSON \(.+\): send only the complete JSON/);
});

Deno.test("missing and extra keys are named", () => {
  const { horizon: _h, citedNewsIds: _c, ...partial } = VALID;
  assert.match(errorOf(partial), /^Missing keys: "horizon", "citedNewsIds"\.$/);
  assert.match(
    errorOf({ ...VALID, note: "x" }),
    /^Unexpected key: "note"; use exactly "direction", "confidence", "horizon", "reasoning", "citedNewsIds"\.$/,
  );
  assert.match(errorOf({ prediction: VALID }), /Missing keys: .* Unexpected key: "prediction"/);
});

Deno.test("each field is checked, and every problem is reported at once", () => {
  assert.match(errorOf({ ...VALID, direction: "Up" }), /direction must be .* not "Up"\./);
  assert.match(
    errorOf({ ...VALID, confidence: 75 }),
    /confidence must be a number from 0 to 1, not 75/,
  );
  assert.match(errorOf({ ...VALID, confidence: "0.7" }), /not "0\.7"/);
  assert.match(
    errorOf(`{"direction":"up","confidence":1e999,"horizon":5,"reasoning":"r","citedNewsIds":[]}`),
    /not Infinity/,
  );
  assert.match(
    errorOf({ ...VALID, horizon: 1 }),
    /horizon must be 5 \(the horizon asked for\), not 1\./,
  );
  assert.match(errorOf({ ...VALID, horizon: "5" }), /not "5"/);
  assert.match(errorOf({ ...VALID, reasoning: "  " }), /reasoning must be a non-empty string\./);
  assert.match(errorOf({ ...VALID, reasoning: 3 }), /reasoning must be a non-empty string\./);
  assert.match(
    errorOf({ ...VALID, reasoning: "x".repeat(MAX_REASONING_CHARS + 1) }),
    new RegExp(
      `reasoning is ${MAX_REASONING_CHARS + 1} characters long; keep it to ${MAX_REASONING_CHARS}`,
    ),
  );
  const all = errorOf({ ...VALID, direction: "bull", confidence: -1, horizon: 20 });
  assert.deepEqual(all.split(". ").length, 3, all);
});

Deno.test("cited ids: integers among the shown ones, each once", () => {
  assert.match(
    errorOf({ ...VALID, citedNewsIds: "102" }),
    /must be an array of news ids, not "102"/,
  );
  assert.match(
    errorOf({ ...VALID, citedNewsIds: [102, "101", 1.5] }),
    /must hold integer ids only, not "101", 1\.5\./,
  );
  assert.match(
    errorOf({ ...VALID, citedNewsIds: [102, 999] }),
    /citedNewsIds 999 was not shown; cite only ids shown in square brackets\./,
  );
  assert.match(errorOf({ ...VALID, citedNewsIds: [7, 8] }), /citedNewsIds 7, 8 were not shown/);
  const repeated = parseForecast(
    JSON.stringify({ ...VALID, citedNewsIds: [55, 102, 55] }),
    EXPECTED,
  );
  assert.ok(repeated.ok);
  assert.deepEqual(repeated.forecast.citedNewsIds, [55, 102]);
});

Deno.test("the schema is strict: every property required, no others", () => {
  assert.equal(FORECAST_RESPONSE_FORMAT.type, "json_schema");
  assert.equal(FORECAST_RESPONSE_FORMAT.json_schema.strict, true);
  assert.equal(FORECAST_JSON_SCHEMA.additionalProperties, false);
  assert.deepEqual(
    [...FORECAST_JSON_SCHEMA.required].sort(),
    Object.keys(FORECAST_JSON_SCHEMA.properties).sort(),
  );
  assert.deepEqual(Object.keys(FORECAST_JSON_SCHEMA.properties).sort(), Object.keys(VALID).sort());
});
