// The answer an LLM must give: the JSON schema sent as `response_format`, and the validation of
// what comes back. The schema steers providers that honour it; the validation is what counts,
// since some OpenAI-compatible servers (many OpenRouter routes, local servers) ignore it.
//
// Decisions:
// - Markdown-fenced JSON (the whole answer one ```json … ``` block) is accepted: models that
//   ignore `response_format` often fence their JSON, and the content is the same, so a retry
//   would only cost money. JSON with prose before or after it is rejected: the text outside is
//   reasoning the run record would lose, and the rules ask for the object alone.
// - Keys beyond the five are rejected, mirroring `additionalProperties: false`: an answer that
//   adds keys did not follow the schema, and a lenient parser would hide that from the failure
//   statistics.
// - A cited id repeated is kept once; an id that was not shown is an error naming it.
// - The answer's language is not checked: any language passes if the JSON is valid.
// Every problem is reported at once, as short sentences the retry message passes to the model.
import { type Direction, DIRECTIONS, type Forecast } from "./types.ts";

/** Longer reasoning is rejected: it is stored and shown with every prediction. */
export const MAX_REASONING_CHARS = 2_000;

const KEYS = ["direction", "confidence", "horizon", "reasoning", "citedNewsIds"] as const;

/**
 * Strict structured outputs need every property required and no others allowed. The horizon and
 * the shown ids are checked by `parseForecast`, not put in the schema: a schema that changes with
 * every request would defeat the provider's schema cache (the first request with a new schema is
 * slower).
 */
export const FORECAST_JSON_SCHEMA = {
  type: "object",
  properties: {
    direction: { type: "string", enum: [...DIRECTIONS] },
    confidence: {
      type: "number",
      description: "Probability from 0 to 1 that the direction is right.",
    },
    horizon: { type: "integer", description: "The horizon asked for, in trading days." },
    reasoning: {
      type: "string",
      description: `Why, in at most ${MAX_REASONING_CHARS} characters.`,
    },
    citedNewsIds: {
      type: "array",
      items: { type: "integer" },
      description: "Ids (shown in square brackets) of the news the reasoning relies on.",
    },
  },
  required: [...KEYS],
  additionalProperties: false,
};

/** The `response_format` of every forecast request. */
export const FORECAST_RESPONSE_FORMAT = {
  type: "json_schema",
  json_schema: { name: "forecast", strict: true, schema: FORECAST_JSON_SCHEMA },
} as const;

export interface ForecastExpectation {
  /** The horizon asked for: the answer must repeat it. */
  horizon: number;
  /** Ids of the news shown: the only ones the answer may cite. */
  shownIds: readonly number[];
}

export type ForecastParse = { ok: true; forecast: Forecast } | { ok: false; error: string };

/** Validates a model's raw answer as a forecast; `error` lists every problem found. */
export function parseForecast(text: string, expected: ForecastExpectation): ForecastParse {
  const json = unfenced(text.trim());
  if (json === "") return fail(["The answer is empty."]);
  if (!/^[[{]/.test(json)) {
    return fail([
      "The answer is not JSON: send only the JSON object, with no text or markdown around it.",
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof SyntaxError ? ` (${error.message})` : "";
    return fail([`The answer is not valid JSON${reason}: send only the complete JSON object.`]);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(["The answer must be a JSON object, not an array."]);
  }
  const answer = value as Record<string, unknown>;
  const problems = keyProblems(answer);
  const direction = answer.direction;
  if ("direction" in answer && !DIRECTIONS.includes(direction as Direction)) {
    problems.push(`direction must be "up", "down" or "flat", not ${shown(direction)}.`);
  }
  const confidence = answer.confidence;
  const validConfidence = typeof confidence === "number" && confidence >= 0 && confidence <= 1;
  if ("confidence" in answer && !validConfidence) {
    problems.push(`confidence must be a number from 0 to 1, not ${shown(confidence)}.`);
  }
  if ("horizon" in answer && answer.horizon !== expected.horizon) {
    problems.push(
      `horizon must be ${expected.horizon} (the horizon asked for), not ${shown(answer.horizon)}.`,
    );
  }
  const reasoning = typeof answer.reasoning === "string" ? answer.reasoning.trim() : "";
  if ("reasoning" in answer && reasoning === "") {
    problems.push("reasoning must be a non-empty string.");
  } else if (reasoning.length > MAX_REASONING_CHARS) {
    problems.push(
      `reasoning is ${reasoning.length} characters long; keep it to ${MAX_REASONING_CHARS}.`,
    );
  }
  const cited = "citedNewsIds" in answer ? citedIds(answer.citedNewsIds, expected, problems) : [];
  if (problems.length > 0) return fail(problems);
  return {
    ok: true,
    forecast: {
      direction: direction as Direction,
      confidence: confidence as number,
      horizon: expected.horizon,
      reasoning,
      citedNewsIds: cited,
    },
  };
}

/** The inside of an answer that is one fenced code block (```json or bare ```), else the answer. */
function unfenced(text: string): string {
  const fenced = /^```[a-zA-Z]*[ \t]*\n([\s\S]*?)\n?```$/.exec(text);
  return fenced ? fenced[1].trim() : text;
}

function keyProblems(answer: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const missing = KEYS.filter((key) => !(key in answer));
  if (missing.length > 0) problems.push(`Missing ${plural("key", missing)}: ${quoted(missing)}.`);
  const extra = Object.keys(answer).filter((key) => !(KEYS as readonly string[]).includes(key));
  if (extra.length > 0) {
    problems.push(
      `Unexpected ${plural("key", extra)}: ${quoted(extra)}; use exactly ${quoted(KEYS)}.`,
    );
  }
  return problems;
}

/** The cited ids, each once, in the answer's order; problems are added to `problems`. */
function citedIds(value: unknown, expected: ForecastExpectation, problems: string[]): number[] {
  if (!Array.isArray(value)) {
    problems.push(`citedNewsIds must be an array of news ids, not ${shown(value)}.`);
    return [];
  }
  const notIds = value.filter((id) => !Number.isSafeInteger(id));
  if (notIds.length > 0) {
    problems.push(
      `citedNewsIds must hold integer ids only, not ${notIds.slice(0, 5).map(shown).join(", ")}.`,
    );
    return [];
  }
  const ids = [...new Set(value as number[])];
  const shownIds = new Set(expected.shownIds);
  const unknown = ids.filter((id) => !shownIds.has(id));
  if (unknown.length > 0) {
    problems.push(
      `citedNewsIds ${unknown.join(", ")} ${unknown.length === 1 ? "was" : "were"} not shown; ` +
        "cite only ids shown in square brackets.",
    );
  }
  return ids;
}

function fail(problems: string[]): ForecastParse {
  return { ok: false, error: problems.join(" ") };
}

/** A value as it appears in an error message: JSON, cut short. */
function shown(value: unknown): string {
  // JSON.stringify would write a number too large for a double (1e999 → Infinity) as null.
  const text = value === undefined || typeof value === "number"
    ? String(value)
    : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function quoted(keys: readonly string[]): string {
  return keys.map((key) => `"${key}"`).join(", ");
}

function plural(word: string, items: readonly unknown[]): string {
  return items.length === 1 ? word : `${word}s`;
}
