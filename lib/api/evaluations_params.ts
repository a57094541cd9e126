// The query parameters of evaluation views, read and written in one place so that
// /api/evaluations and the /models and /experiments pages accept exactly the same ones.
import { type Population, POPULATIONS, type SnapshotKey } from "../evaluate/query.ts";
import { BadRequest, HttpError } from "../http/errors.ts";
import type { QueryParams } from "../http/query.ts";
import type { PredictionMode } from "../predict/types.ts";
import { RANK_METRICS, type RankMetric } from "./evaluations_metrics.ts";

export const MODES = ["live", "replay"] as const;
/** Days of exits up to each model's latest one, or all time. */
export const WINDOWS = ["all", "90", "30"] as const;
export type EvaluationWindow = typeof WINDOWS[number];

/** Which predictions an evaluation counts. */
export interface EvaluationView {
  mode: PredictionMode;
  window: EvaluationWindow;
  population: Population;
}

/** Live results of clean predictions over all time: what a visitor should see first. */
const DEFAULT_VIEW: EvaluationView = { mode: "live", window: "all", population: "clean" };
const DEFAULT_RANK_BY: RankMetric = "winRate";

/** mode, window, population; an empty value (a form's default choice) is the default. */
export function readEvaluationView(query: QueryParams): EvaluationView {
  return {
    mode: query.oneOf("mode", MODES, DEFAULT_VIEW.mode),
    window: query.oneOf("window", WINDOWS, DEFAULT_VIEW.window),
    population: query.oneOf("population", POPULATIONS, DEFAULT_VIEW.population),
  };
}

export function readRankBy(query: QueryParams): RankMetric {
  return query.oneOf("rankBy", RANK_METRICS, DEFAULT_RANK_BY);
}

export function snapshotKey(view: EvaluationView): SnapshotKey {
  return {
    mode: view.mode,
    population: view.population,
    windowDays: view.window === "all" ? null : Number(view.window),
  };
}

/** `view` (and a ranking) as query parameters, defaults left out, for links between views. */
export function viewParams(view: Partial<EvaluationView>, rankBy?: RankMetric): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ["mode", "window", "population"] as const) {
    const value = view[name];
    if (value !== undefined && value !== DEFAULT_VIEW[name]) params.set(name, value);
  }
  if (rankBy !== undefined && rankBy !== DEFAULT_RANK_BY) params.set("rankBy", rankBy);
  return params;
}

/** `path` with `params` as its query, if any. */
export function withQuery(path: string, params: URLSearchParams): string {
  return params.size > 0 ? `${path}?${params}` : path;
}

/** Whose predictions, and (optionally) on which stock. */
export interface PredictionsBehind {
  model: string;
  view: EvaluationView;
  /** First exit day a window counted. */
  periodStart: string | null;
  symbol?: string;
}

/**
 * The /predictions list behind a model's numbers: its predictions in the view's mode and
 * population, from the first day of a window's period. The list filters by as-of day while
 * windows count exit days, so it also shows calls still pending and misses calls made before the
 * window that ended inside it.
 */
export function predictionsHref({ model, view, periodStart, symbol }: PredictionsBehind): string {
  const params = new URLSearchParams({ model });
  if (symbol !== undefined) params.set("symbol", symbol);
  params.set("mode", view.mode);
  params.set("contaminated", view.population === "clean" ? "exclude" : "only");
  if (view.window !== "all" && periodStart !== null) params.set("from", periodStart);
  return `/predictions?${params}`;
}

const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A required id query parameter (`a`, `b`). */
function requiredId(query: QueryParams, name: string): number {
  const id = query.integer(name, { min: 1, max: MAX_ID, fallback: 0 });
  if (id === 0) {
    throw new HttpError(400, "invalid_query", `${name}: expected a model id`, {
      parameter: name,
      expected: "a model id",
      got: "",
    });
  }
  return id;
}

/** `a` and `b`: two different model ids. */
export function readModelPair(query: QueryParams): { a: number; b: number } {
  const [a, b] = [requiredId(query, "a"), requiredId(query, "b")];
  if (a === b) {
    throw new BadRequest("b: expected a model other than a", { parameter: "b", got: String(b) });
  }
  return { a, b };
}

/** A numeric id in a path (/models/:id): anything else is a 400 naming it. */
export function pathId(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || id < 1) {
    throw new BadRequest(`id: expected a positive integer`, { parameter: "id", got: raw });
  }
  return id;
}
