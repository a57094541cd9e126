import assert from "node:assert/strict";
import { defaultParams, paramProblems, resolveParams } from "./params.ts";

const SPECS = {
  lookback: { default: 20, min: 2, max: 119, integer: true },
  band: { default: 0.25, min: 0, max: 3 },
};

Deno.test("params: none given, or valid ones, are no problem", () => {
  assert.deepEqual(paramProblems("momentum", SPECS, {}), []);
  assert.deepEqual(paramProblems("momentum", SPECS, { lookback: 2, band: 3 }), []);
  assert.deepEqual(paramProblems("momentum", SPECS, { lookback: 119, band: 0 }), []);
});

Deno.test("params: each problem is a sentence naming the parameter", () => {
  assert.deepEqual(paramProblems("momentum", SPECS, { lookbak: 5 }), [
    'momentum has no parameter "lookbak" (it takes lookback, band).',
  ]);
  assert.deepEqual(paramProblems("momentum", SPECS, { lookback: 2.5 }), [
    "lookback must be a whole number from 2 to 119, got 2.5.",
  ]);
  assert.deepEqual(paramProblems("momentum", SPECS, { lookback: 1 }), [
    "lookback must be a whole number from 2 to 119, got 1.",
  ]);
  assert.deepEqual(paramProblems("momentum", SPECS, { band: "0.5" }), [
    'band must be a number from 0 to 3, got the text "0.5".',
  ]);
  assert.deepEqual(
    paramProblems("momentum", SPECS, {
      band: Number.NaN,
      lookback: null,
      other: [],
    }),
    [
      "band must be a number from 0 to 3, got NaN.",
      "lookback must be a whole number from 2 to 119, got null.",
      'momentum has no parameter "other" (it takes lookback, band).',
    ],
  );
  assert.deepEqual(paramProblems("momentum", SPECS, { band: Infinity, lookback: [20] }), [
    "band must be a number from 0 to 3, got Infinity.",
    "lookback must be a whole number from 2 to 119, got a list.",
  ]);
  assert.deepEqual(paramProblems("momentum", SPECS, { band: true, lookback: { n: 1 } }), [
    "band must be a number from 0 to 3, got true.",
    "lookback must be a whole number from 2 to 119, got an object.",
  ]);
});

Deno.test("params: an inherited name such as toString is unknown, not a parameter", () => {
  assert.deepEqual(paramProblems("momentum", SPECS, { toString: 1 }), [
    'momentum has no parameter "toString" (it takes lookback, band).',
  ]);
});

Deno.test("params: something other than an object is one problem", () => {
  assert.deepEqual(paramProblems("momentum", SPECS, [1, 2]), [
    "The parameters of momentum must be an object of numbers, got a list.",
  ]);
  assert.deepEqual(paramProblems("momentum", SPECS, null), [
    "The parameters of momentum must be an object of numbers, got null.",
  ]);
});

Deno.test("params: defaults fill what is not given", () => {
  assert.deepEqual(resolveParams(SPECS, {}), { lookback: 20, band: 0.25 });
  assert.deepEqual(resolveParams(SPECS, { band: 1 }), { lookback: 20, band: 1 });
  const defaults = defaultParams(SPECS);
  assert.deepEqual(defaults, { lookback: 20, band: 0.25 });
  assert.ok(Object.isFrozen(defaults));
});
