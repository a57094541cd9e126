import assert from "node:assert/strict";
import { assertForecast, testInputs, testSimilar } from "../../../tests/support/model_inputs.ts";
import { analog } from "./analog.ts";
import { FLAT_CONFIDENCE } from "./model.ts";

Deno.test("analog: abstains without neighbours with a realised return for the horizon", () => {
  assert.deepEqual(analog.predict(testInputs(), {}), {
    abstain: "no similar past news with a 1-day return",
  });
  const onlyLonger = [testSimilar(1, { return5d: 0.03 }), testSimilar(2)];
  assert.deepEqual(analog.predict(testInputs({ similar: onlyLonger }), {}), {
    abstain: "no similar past news with a 1-day return",
  });
  const onlyShorter = [testSimilar(1, { return1d: 0.03, return5d: null })];
  assert.deepEqual(analog.predict(testInputs({ similar: onlyShorter, horizon: 10 }), {}), {
    abstain: "no similar past news with a 5-day return",
  });
});

Deno.test("analog: mean of the k most similar, by hand", () => {
  // The 3 most similar with a 1-day return: +2%, −1%, +0.5% → mean +0.5%, 2 of 3 rose:
  // confidence 0.5 + 0.25 · (2·2 − 3)/(3 + 2) = 0.55.
  const similar = [
    testSimilar(4, { score: 0.6, return1d: 0.05 }),
    testSimilar(2, { score: 0.8, return1d: -0.01 }),
    testSimilar(5, { score: 0.95, return1d: null, return5d: 0.1 }),
    testSimilar(1, { score: 0.9, return1d: 0.02 }),
    testSimilar(3, { score: 0.7, return1d: 0.005 }),
  ];
  const answer = assertForecast(analog.predict(testInputs({ similar }), { k: 3 }));
  assert.deepEqual(answer, {
    direction: "up",
    confidence: answer.confidence,
    horizon: 1,
    reasoning: "3 similar past news (similarity 0.90 to 0.70): mean 1-day return +0.50%, " +
      "2 rose, 1 fell (flat within ±0.2%) → up",
    citedNewsIds: [1, 2, 3],
  });
  assert.ok(Math.abs(answer.confidence - 0.55) < 1e-12);
});

Deno.test("analog: horizons from 5 use the 5-day return; 2 to 4 the nearest available", () => {
  const similar = [
    testSimilar(1, { return1d: 0.01, return5d: -0.04 }),
    testSimilar(2, { return1d: null, return5d: -0.02 }),
    testSimilar(3, { return1d: 0.03, return5d: null }),
  ];
  const at = (horizon: number) =>
    assertForecast(analog.predict(testInputs({ similar, horizon }), {}));
  // 5 and 10: −4% and −2% (item 3 has no 5-day return).
  for (const horizon of [5, 10]) {
    assert.deepEqual(at(horizon).citedNewsIds, [1, 2]);
    assert.match(at(horizon).reasoning, /mean 5-day return -3\.00%/);
  }
  // 2 and 3: 1-day first: +1%, (−2% over 5 days), +3%.
  assert.match(at(3).reasoning, /mean 1- or 5-day return \+0\.67%, 2 rose, 1 fell/);
  assert.deepEqual(at(2).citedNewsIds, [1, 2, 3]);
  // 4: 5-day first: −4%, −2%, (+3% over 1 day).
  assert.match(at(4).reasoning, /mean 1- or 5-day return -1\.00%, 1 rose, 2 fell .* → down$/);
});

Deno.test("analog: a mean inside the band is flat", () => {
  const similar = [testSimilar(1, { return1d: 0.003 }), testSimilar(2, { return1d: -0.001 })];
  const answer = assertForecast(analog.predict(testInputs({ similar }), {}));
  assert.deepEqual([answer.direction, answer.confidence], ["flat", FLAT_CONFIDENCE]);
  assert.deepEqual(answer.citedNewsIds, [1, 2]);
  const wider = analog.predict(testInputs({ similar }), { flatReturn: 0 });
  assert.equal(assertForecast(wider).direction, "up");
});

Deno.test("analog: a mean carried by one outlier is below a coin flip", () => {
  // Mean +1.75% but 1 of 4 rose: 0.5 + 0.25 · (2 − 4)/6.
  const similar = [0.1, -0.01, -0.01, -0.01].map((return1d, i) => testSimilar(i + 1, { return1d }));
  const answer = assertForecast(analog.predict(testInputs({ similar }), {}));
  assert.equal(answer.direction, "up");
  assert.ok(Math.abs(answer.confidence - (0.5 - 0.25 / 3)) < 1e-12);
});

Deno.test("analog: non-finite returns are ignored like missing ones", () => {
  const similar = [
    testSimilar(1, { return1d: Number.NaN }),
    testSimilar(2, { return1d: Infinity }),
    testSimilar(3, { return1d: -0.01 }),
  ];
  const answer = assertForecast(analog.predict(testInputs({ similar }), {}));
  assert.deepEqual([answer.direction, answer.citedNewsIds], ["down", [3]]);
});

Deno.test("analog: params are checked", () => {
  assert.deepEqual(analog.paramProblems({ k: 0, flatReturn: 0.5 }), [
    "k must be a whole number from 1 to 50, got 0.",
    "flatReturn must be a number from 0 to 0.1, got 0.5.",
  ]);
});
