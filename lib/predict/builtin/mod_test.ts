import assert from "node:assert/strict";
import { createRandom } from "../../market/random.ts";
import { DIRECTIONS, isAbstention, type ModelInputs, shownNewsIds } from "../types.ts";
import { testInputs, testNews, testSimilar } from "../../../tests/support/model_inputs.ts";
import { BUILTIN_MODELS, builtinParamProblems } from "./mod.ts";

Deno.test("registry: the five models, each under its own key", () => {
  assert.deepEqual(Object.keys(BUILTIN_MODELS), [
    "always-up",
    "momentum",
    "mean-reversion",
    "news-tone",
    "analog",
  ]);
  for (const [key, model] of Object.entries(BUILTIN_MODELS)) {
    assert.equal(model.key, key);
    assert.ok(model.description.length > 0);
    assert.deepEqual(builtinParamProblems(key, {}), []);
    assert.deepEqual(builtinParamProblems(key, model.defaultParams), [], key);
  }
  assert.ok(Object.isFrozen(BUILTIN_MODELS));
  assert.equal(BUILTIN_MODELS["constructor"], undefined);
  assert.equal(BUILTIN_MODELS["toString"], undefined);
});

Deno.test("builtinParamProblems: an unknown model, or an inherited name, is a problem", () => {
  const expected = (key: string) => [
    `There is no built-in model "${key}" (the built-in models are always-up, momentum, ` +
    "mean-reversion, news-tone, analog).",
  ];
  for (const key of ["gpt-4o", "constructor", "__proto__", ""]) {
    assert.deepEqual(builtinParamProblems(key, {}), expected(key));
  }
  assert.deepEqual(builtinParamProblems("momentum", { lookback: "20" }), [
    'lookback must be a whole number from 2 to 119, got the text "20".',
  ]);
});

/** Inputs from empty to full: random walks of many lengths and volatilities, news, neighbours. */
function variedInputs(): ModelInputs[] {
  const random = createRandom(42);
  const cases: ModelInputs[] = [testInputs()];
  for (const length of [1, 2, 3, 15, 21, 60, 120]) {
    for (const volatility of [0, 0.001, 0.02, 0.2]) {
      let close = 100;
      const closes = Array.from({ length }, () => close *= Math.exp(volatility * random.normal()));
      cases.push(testInputs({
        closes,
        horizon: 1 + Math.floor(random.next() * 10),
        news: [testNews(1, "Acme beats"), testNews(2, "Acme is not doing badly", 50)]
          .slice(0, length % 3),
        similar: Array.from({ length: length % 7 }, (_, i) =>
          testSimilar(10 + i, {
            score: random.next(),
            return1d: i % 3 === 0 ? null : random.normal() / 50,
            return5d: i % 2 === 0 ? null : random.normal() / 20,
          })),
      }));
    }
  }
  return cases;
}

Deno.test("every model: a valid answer for any inputs, the same every time", () => {
  const cases = variedInputs();
  for (const [key, model] of Object.entries(BUILTIN_MODELS)) {
    for (const inputs of cases) {
      const answer = model.predict(inputs, {});
      assert.deepEqual(model.predict(structuredClone(inputs), {}), answer, key);
      if (isAbstention(answer)) {
        assert.ok(answer.abstain.length > 0, key);
        continue;
      }
      assert.ok(DIRECTIONS.includes(answer.direction), key);
      assert.ok(answer.confidence >= 0 && answer.confidence <= 1, `${key}: ${answer.confidence}`);
      assert.equal(answer.horizon, inputs.horizon, key);
      assert.ok(answer.reasoning.length > 0, key);
      assert.doesNotMatch(answer.reasoning, /NaN|Infinity|undefined/, key);
      const shown = new Set(shownNewsIds(inputs));
      assert.ok(answer.citedNewsIds.every((id) => shown.has(id)), key);
    }
  }
});
