import assert from "node:assert/strict";
import { scoreText, stem } from "./tone.ts";
import { TONE_LEXICON } from "./tone_lexicon.ts";

function assertScore(text: string, expected: number) {
  const { score } = scoreText(text);
  assert.ok(Math.abs(score - expected) < 1e-12, `${text}: ${score} ≠ ${expected}`);
}

Deno.test("one +1 term scores 1/2, a −2 and a −1 term score −3/4: S / (A + 1)", () => {
  assert.deepEqual(scoreText("Acme beats estimates"), {
    score: 0.5,
    positive: ["beats"],
    negative: [],
  });
  assert.deepEqual(scoreText("Acme shares plunge after recall"), {
    score: -0.75,
    positive: [],
    negative: ["plunge", "recall"],
  });
  // +2 and −1: S = 1, A = 3.
  assertScore("Shares surge despite lawsuit", 0.25);
});

Deno.test("no lexicon term, or none at all, scores 0", () => {
  assert.deepEqual(scoreText("Acme to hold its annual meeting on Tuesday"), {
    score: 0,
    positive: [],
    negative: [],
  });
  assert.deepEqual(scoreText(""), { score: 0, positive: [], negative: [] });
});

Deno.test("inflections share one entry", () => {
  for (const word of ["surge", "surges", "surged", "surging"]) assertScore(`Acme ${word}`, 2 / 3);
  for (const word of ["slip", "slips", "slipped", "slipping"]) assertScore(`Acme ${word}`, -0.5);
  for (const word of ["miss", "misses", "missed"]) assertScore(`Acme ${word}`, -0.5);
  for (const word of ["rally", "rallies", "rallied", "rallying"]) assertScore(`Acme ${word}`, 0.5);
  for (const word of ["exceed", "exceeds", "exceeded"]) assertScore(`Acme ${word}`, 0.5);
  assertScore("Acme's upgraded", 2 / 3);
  assert.equal(stem("missed"), "miss");
  assert.equal(stem("slipped"), "slip");
  assert.equal(stem("rallies"), "rally");
  assert.equal(stem("Acme's".toLowerCase()), "acm");
});

Deno.test("words that merely start like a term do not match it", () => {
  assertScore("A mission to the topaz quarry", 0);
});

Deno.test("negators flip the next three words: not, no, never, n't, fails to", () => {
  assert.deepEqual(scoreText("Acme fails to beat estimates"), {
    score: -0.5,
    positive: [],
    negative: ["fails to beat"],
  });
  assert.deepEqual(scoreText("Acme did not miss"), {
    score: 0.5,
    positive: ["not miss"],
    negative: [],
  });
  assertScore("No growth in sight", -0.5);
  assertScore("Shares never recovered", -0.5);
  // "recall" is the third word after the negator, and the curly apostrophe counts.
  assertScore("Acme doesn’t expect a recall", 0.5);
  assertScore("Acme doesnt expect a recall", 0.5);
  assertScore("Acme failed to win the contract", -0.5);
  // A failure that is not "fail to" is bad news in itself.
  assertScore("Acme fails", -0.5);
});

Deno.test("negation ends after three words or at the end of the clause", () => {
  assertScore("not a big enough quarter to surge", 2 / 3);
  assertScore("No surprise. Shares surge", 2 / 3);
  assertScore("No surprise - shares surge", 2 / 3);
});

Deno.test("cashtags, handles and URLs are ignored", () => {
  assert.deepEqual(scoreText("@bearish_bob: $TANK rallies https://t.co/plunge www.crash.example"), {
    score: 0.5,
    positive: ["rallies"],
    negative: [],
  });
});

Deno.test("multi-word terms win over the words they contain", () => {
  assert.deepEqual(scoreText("$ACME hits 52-week low"), {
    score: -0.5,
    positive: [],
    negative: ["week low"],
  });
  assertScore("Acme at an all-time high", 2 / 3);
  assertScore("Acme at a record low", -2 / 3);
  assertScore("Acme sees record sales", 0.5);
  assertScore("Acme narrows loss", 0.5);
  assertScore("Stocks in a sell-off", -2 / 3);
});

Deno.test("the score stays inside (−1, 1) however many terms pile up", () => {
  const bullish = scoreText("surge soar skyrocket upgrade bullish stellar ".repeat(20));
  assert.ok(bullish.score > 0.99 && bullish.score < 1);
  const bearish = scoreText("plunge crash fraud bankruptcy ".repeat(20));
  assert.ok(bearish.score < -0.99 && bearish.score > -1);
});

Deno.test("lexicon: a few hundred terms, each reachable with its own weight", () => {
  const entries = Object.entries(TONE_LEXICON);
  assert.ok(entries.length >= 200, `${entries.length} terms`);
  for (const [term, weight] of entries) {
    assert.ok([-2, -1, 1, 2].includes(weight), `${term}: weight ${weight}`);
    // A term that stems like another entry, or like a negator, would score differently.
    assertScore(term, weight / (Math.abs(weight) + 1));
  }
});
