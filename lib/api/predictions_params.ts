// The query parameters of a predictions list, read and written in one place so that
// /api/predictions and the /predictions page accept exactly the same filters and cursors.
import { BadRequest, HttpError } from "../http/errors.ts";
import { encodeCursor, QueryParams } from "../http/query.ts";
import { DIRECTIONS } from "../predict/types.ts";
import {
  CONTAMINATED_FILTERS,
  type PredictionCursor,
  type PredictionFilters,
} from "../predictions/query.ts";

const MODES = ["live", "replay"] as const;
/** Longest model name accepted in a filter. */
const MAX_MODEL_NAME = 100;
const FRACTION = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * A number from 0 to 1 written as a plain decimal ("0.7", "1", ".5"). QueryParams has no decimal
 * reader yet, so the 400 is built here with the same code and details.
 */
function fraction(query: QueryParams, name: string): number | undefined {
  const raw = query.text(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!FRACTION.test(raw) || value > 1) {
    throw new HttpError(400, "invalid_query", `${name}: expected a number from 0 to 1`, {
      parameter: name,
      expected: "a number from 0 to 1",
      got: raw,
    });
  }
  return value;
}

/** symbol, model, direction, minConfidence, from, to, mode, contaminated. */
export function readPredictionFilters(query: QueryParams): PredictionFilters {
  const from = query.date("from");
  const to = query.date("to");
  if (from !== undefined && to !== undefined && from > to) {
    throw new BadRequest("from must not be after to", { from, to });
  }
  // An empty fallback stands for "absent": a form's "any" choice sends an empty value.
  return {
    symbol: query.symbol("symbol"),
    model: query.text("model", MAX_MODEL_NAME),
    direction: query.oneOf("direction", DIRECTIONS, "") || undefined,
    minConfidence: fraction(query, "minConfidence"),
    from,
    to,
    mode: query.oneOf("mode", MODES, "") || undefined,
    contaminated: query.oneOf("contaminated", CONTAMINATED_FILTERS, "include"),
  };
}

function decodeCursor(value: unknown): PredictionCursor {
  if (!Array.isArray(value) || value.length !== 2) throw new Error("cursor shape");
  const [asOf, id] = value;
  const date = new Date(String(asOf));
  if (Number.isNaN(date.getTime()) || !Number.isSafeInteger(id) || id < 1) {
    throw new Error("cursor values");
  }
  return { asOf: date, id };
}

/** `cursor`: the position after which the page starts. */
export function readPredictionCursor(query: QueryParams): PredictionCursor | undefined {
  return query.cursor("cursor", decodeCursor);
}

/** The cursor of the page after the one ending with `last`. */
export function predictionCursor(last: PredictionCursor): string {
  return encodeCursor([last.asOf.toISOString(), last.id]);
}

/** `filters` as query parameters (defaults left out), for next-page and download links. */
export function predictionFilterParams(filters: PredictionFilters): URLSearchParams {
  const params = new URLSearchParams();
  const values: [string, string | number | undefined][] = [
    ["symbol", filters.symbol],
    ["model", filters.model],
    ["direction", filters.direction],
    ["minConfidence", filters.minConfidence],
    ["from", filters.from],
    ["to", filters.to],
    ["mode", filters.mode],
    ["contaminated", filters.contaminated === "include" ? undefined : filters.contaminated],
  ];
  for (const [name, value] of values) {
    if (value !== undefined) params.set(name, String(value));
  }
  return params;
}
