import assert from "node:assert/strict";
import { assertForecast, testInputs, testNews } from "../../../tests/support/model_inputs.ts";
import { FLAT_CONFIDENCE } from "./model.ts";
import { newsTone } from "./news_tone.ts";

Deno.test("news-tone: abstains without news", () => {
  assert.deepEqual(newsTone.predict(testInputs({ closes: [1, 2, 3] }), {}), {
    abstain: "no recent news",
  });
});

Deno.test("news-tone: a 3-day-older headline weighs half, by hand", () => {
  // Half-life 3 days; tones +2/3 ("surge", at as-of: weight 1) and −1/2 ("lawsuit", 3 days old:
  // weight 1/2): (2/3 − 1/4) / max(1, 1.5) = 0.27778; confidence 0.5 + 0.25 · 0.27778 · 2/4.
  const inputs = testInputs({
    horizon: 5,
    news: [testNews(1, "Acme shares surge", 0), testNews(2, "Acme faces lawsuit", 72)],
  });
  const answer = assertForecast(newsTone.predict(inputs, { halfLifeDays: 3 }));
  assert.deepEqual(answer, {
    direction: "up",
    confidence: answer.confidence,
    horizon: 5,
    reasoning: "Recency-weighted tone +0.28 over 2 headlines, 2 with a tone (half-life 3 days, " +
      "flat within ±0.1); positive: surge → up",
    citedNewsIds: [1],
  });
  assert.ok(Math.abs(answer.confidence - (0.5 + 0.25 * (5 / 18) * 0.5)) < 1e-12);
  // A band wider than the tone makes it flat.
  const wide = newsTone.predict(inputs, { halfLifeDays: 3, flatTone: 0.3 });
  assert.equal(assertForecast(wide).direction, "flat");
});

Deno.test("news-tone: negated good news is bad news, and drives a down call", () => {
  const inputs = testInputs({
    news: [testNews(1, "Acme fails to beat estimates"), testNews(2, "Acme misses")],
  });
  const answer = assertForecast(newsTone.predict(inputs, {}));
  assert.equal(answer.direction, "down");
  // Tone −0.5 from 2 headlines: 0.5 + 0.25 · 0.5 · 2/4.
  assert.equal(answer.confidence, 0.5625);
  assert.deepEqual(answer.citedNewsIds, [1, 2]);
  assert.match(answer.reasoning, /tone -0\.50 .*negative: fails to beat, misses → down$/);
});

Deno.test("news-tone: headlines without tone, or cancelling out, are flat", () => {
  const neutral = assertForecast(
    newsTone.predict(testInputs({ news: [testNews(3, "Acme to hold annual meeting")] }), {}),
  );
  assert.deepEqual(neutral, {
    direction: "flat",
    confidence: FLAT_CONFIDENCE,
    horizon: 1,
    reasoning: "Recency-weighted tone 0.00 over 1 headline, 0 with a tone (half-life 1 day, " +
      "flat within ±0.1) → flat",
    citedNewsIds: [],
  });
  const mixed = assertForecast(newsTone.predict(
    testInputs({ news: [testNews(1, "Acme beats"), testNews(2, "Acme misses")] }),
    {},
  ));
  assert.equal(mixed.direction, "flat");
  assert.deepEqual(mixed.citedNewsIds, [1, 2]);
  assert.match(mixed.reasoning, /positive: beats; negative: misses → flat$/);
});

Deno.test("news-tone: more headlines with the same tone, more confidence", () => {
  const confidence = (n: number) =>
    assertForecast(newsTone.predict(
      testInputs({ news: Array.from({ length: n }, (_, i) => testNews(i + 1, "Acme beats")) }),
      {},
    )).confidence;
  assert.ok(confidence(1) < confidence(3) && confidence(3) < confidence(20));
  assert.ok(confidence(20) < 0.75);
});

Deno.test("news-tone: stale headlines fade toward neutral, never to NaN", () => {
  // Alone, a 5-day-old "beats" weighs 1/32 at a 1-day half-life: its tone shrinks by that weight
  // and stays inside the flat band.
  const stale = testInputs({ news: [testNews(1, "Acme beats", 24 * 5)] });
  assert.equal(assertForecast(newsTone.predict(stale, {})).direction, "flat");
  const fresh = testInputs({ news: [testNews(1, "Acme beats", 1)] });
  assert.equal(assertForecast(newsTone.predict(fresh, {})).direction, "up");
  // A year old at the shortest half-life: the weight underflows to 0, the tone is 0, not NaN.
  const ancient = testInputs({
    news: [testNews(1, "Acme beats", 24 * 365), testNews(2, "Acme plunges", 24 * 400)],
  });
  const answer = assertForecast(newsTone.predict(ancient, { halfLifeDays: 0.1 }));
  assert.equal(answer.direction, "flat");
  assert.ok(Number.isFinite(answer.confidence));
});

Deno.test("news-tone: params are checked", () => {
  assert.deepEqual(newsTone.paramProblems({ halfLifeDays: 0, flatTone: 2 }), [
    "halfLifeDays must be a number from 0.1 to 30, got 0.",
    "flatTone must be a number from 0 to 1, got 2.",
  ]);
});
