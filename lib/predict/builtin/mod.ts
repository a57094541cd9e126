// The built-in prediction models: pure functions of ModelInputs (no I/O), competing with the LLMs
// on the same inputs. An admin adds one as a model with provider "builtin" and one of these keys
// as its model id; its params are checked with `builtinParamProblems`.
import { alwaysUp } from "./always_up.ts";
import { analog } from "./analog.ts";
import { meanReversion } from "./mean_reversion.ts";
import type { BuiltinModel, DefinedModel } from "./model.ts";
import { momentum } from "./momentum.ts";
import { newsTone } from "./news_tone.ts";

export type { BuiltinModel } from "./model.ts";

const MODELS: Readonly<Record<string, DefinedModel>> = withoutPrototype({
  "always-up": alwaysUp,
  "momentum": momentum,
  "mean-reversion": meanReversion,
  "news-tone": newsTone,
  "analog": analog,
});

export const BUILTIN_MODELS: Readonly<Record<string, BuiltinModel>> = MODELS;

/** What is wrong with `params` for the built-in model `key` (or with `key` itself); [] if nothing. */
export function builtinParamProblems(key: string, params: Record<string, unknown>): string[] {
  if (!Object.hasOwn(MODELS, key)) {
    const known = Object.keys(MODELS).join(", ");
    return [`There is no built-in model "${key}" (the built-in models are ${known}).`];
  }
  return MODELS[key].paramProblems(params);
}

/**
 * `entries`, frozen, in an object without a prototype: callers index the registry with a model id
 * read from the database, and "constructor" must find nothing rather than an inherited function.
 */
function withoutPrototype<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  // Object.create is typed `any`; the object is filled with exactly `entries` just below.
  const empty: Record<string, T> = Object.create(null);
  return Object.freeze(Object.assign(empty, entries));
}
