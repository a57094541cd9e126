// What every built-in model shares: the registry entry, parameter checking, and the one place a
// Forecast is assembled (horizon copied from the inputs, confidence checked, citations limited to
// news the model was shown), so no model can break the contract of types.ts on its own.
import {
  type Direction,
  type Forecast,
  type ModelAnswer,
  type ModelInputs,
  shownNewsIds,
} from "../types.ts";
import {
  defaultParams,
  paramProblems,
  type ParamSpecs,
  type ParamValues,
  resolveParams,
} from "./params.ts";

export interface BuiltinModel {
  key: string;
  description: string;
  defaultParams: Record<string, number>;
  /** Throws RangeError for params `builtinParamProblems` would reject. */
  predict(inputs: ModelInputs, params: Record<string, unknown>): ModelAnswer;
}

/** A built-in model together with the check of its params. */
export interface DefinedModel extends BuiltinModel {
  paramProblems(params: Record<string, unknown>): string[];
}

export interface ModelDefinition<K extends string> {
  key: string;
  description: string;
  params: ParamSpecs<K>;
  predict(inputs: ModelInputs, params: ParamValues<K>): ModelAnswer;
}

/**
 * Confidence of a flat answer. Flat here means "no signal", so it stays low: below a coin flip and
 * far below any alert threshold.
 */
export const FLAT_CONFIDENCE = 0.3;

/** How far above a coin flip the strongest signal of a built-in model may go. */
const MAX_LEAN = 0.25;

export function defineModel<K extends string>(definition: ModelDefinition<K>): DefinedModel {
  const { key, description, params: specs } = definition;
  const problemsOf = (params: Record<string, unknown>) => paramProblems(key, specs, params);
  return {
    key,
    description,
    defaultParams: defaultParams(specs),
    paramProblems: problemsOf,
    predict(inputs, params) {
      const problems = problemsOf(params);
      if (problems.length > 0) throw new RangeError(problems.join(" "));
      return definition.predict(inputs, resolveParams(specs, params));
    },
  };
}

/**
 * Confidence of an up or down answer from a signal strength in [−1, 1]: 0.5 + 0.25·strength, so
 * from 0.25 (the evidence mostly disagrees) to 0.75. These are simple, weak signals; they should
 * never sound certain.
 */
export function leaningConfidence(strength: number): number {
  return 0.5 + MAX_LEAN * Math.max(-1, Math.min(1, strength));
}

/** Up or down by the sign of `signal`; flat when it is zero or |signal| is below `flatBand`. */
export function directionOf(signal: number, flatBand: number): Direction {
  if (signal === 0 || Math.abs(signal) < flatBand) return "flat";
  return signal > 0 ? "up" : "down";
}

export interface ForecastParts {
  direction: Direction;
  confidence: number;
  reasoning: string;
  citedNewsIds?: number[];
}

/** The Forecast for `inputs`; throws RangeError for a confidence outside [0, 1] (a model bug). */
export function forecast(inputs: ModelInputs, parts: ForecastParts): Forecast {
  const { direction, confidence, reasoning, citedNewsIds = [] } = parts;
  if (!(confidence >= 0 && confidence <= 1)) {
    throw new RangeError(`confidence must be within [0, 1], got ${confidence}`);
  }
  const shown = new Set(shownNewsIds(inputs));
  return {
    direction,
    confidence,
    horizon: inputs.horizon,
    reasoning,
    citedNewsIds: [...new Set(citedNewsIds)].filter((id) => shown.has(id)),
  };
}
