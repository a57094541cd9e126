import assert from "node:assert/strict";
import {
  checkRule,
  DEFAULT_MIN_CONFIDENCE,
  describeRule,
  RuleInvalid,
  ruleRequest,
} from "./subscription_input.ts";

const NOW = new Date("2025-03-10T12:00:00Z");

function problemField(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof RuleInvalid, String(error));
    assert.equal(error.status, 400);
    assert.ok(error.message.startsWith(`${error.field}: `), error.message);
    return error.field;
  }
  assert.fail("expected a RuleInvalid");
}

Deno.test("a strong rule takes the column default confidence; others have no floor", () => {
  const strong = checkRule(ruleRequest("strong", { symbol: "$aapl" }), NOW);
  assert.equal(strong.symbol, "AAPL");
  assert.equal(strong.minConfidence, DEFAULT_MIN_CONFIDENCE);
  assert.equal(strong.expiresAt, null);
  const flip = checkRule(ruleRequest("flip", { symbol: "MSFT" }), NOW);
  assert.equal(flip.minConfidence, 0);
  const consensus = checkRule(ruleRequest("consensus", { minModels: 3, minConfidence: 0.6 }), NOW);
  assert.equal(consensus.minConfidence, 0.6);
  assert.equal(consensus.minModels, 3);
});

Deno.test("each rule's own columns are required, and other rules' columns refused", () => {
  assert.equal(problemField(() => checkRule(ruleRequest("consensus"), NOW)), "min_models");
  assert.equal(
    problemField(() => checkRule(ruleRequest("consensus", { minModels: 1 }), NOW)),
    "min_models",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("consensus", { minModels: 2.5 }), NOW)),
    "min_models",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { minModels: 3 }), NOW)),
    "min_models",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("win_rate", { model: "momentum" }), NOW)),
    "win_rate_below",
  );
  for (const rate of [0, 1, -0.2, 1.5, Number.NaN]) {
    assert.equal(
      problemField(() =>
        checkRule(ruleRequest("win_rate", { model: "m", winRateBelow: rate }), NOW)
      ),
      "win_rate_below",
    );
  }
  assert.equal(
    problemField(() => checkRule(ruleRequest("flip", { symbol: "A", winRateBelow: 0.5 }), NOW)),
    "win_rate_below",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("win_rate", { winRateBelow: 0.5 }), NOW)),
    "model",
  );
  assert.equal(
    problemField(() =>
      checkRule(ruleRequest("win_rate", { model: "m", winRateBelow: 0.5, direction: "up" }), NOW)
    ),
    "direction",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("consensus", { minModels: 3, model: "m" }), NOW)),
    "model",
  );
  assert.equal(problemField(() => checkRule(ruleRequest("flip"), NOW)), "stock");
});

Deno.test("confidence, symbols, names and enumerations are checked", () => {
  for (const confidence of [-0.01, 1.01, Number.NaN, Infinity]) {
    assert.equal(
      problemField(() => checkRule(ruleRequest("strong", { minConfidence: confidence }), NOW)),
      "min_confidence",
    );
  }
  assert.equal(checkRule(ruleRequest("strong", { minConfidence: 1 }), NOW).minConfidence, 1);
  assert.equal(checkRule(ruleRequest("strong", { minConfidence: 0 }), NOW).minConfidence, 0);
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { symbol: "<script>" }), NOW)),
    "stock",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { symbol: "'; drop table stock;--" }), NOW)),
    "stock",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { model: "a\u0000b" }), NOW)),
    "model",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { model: "x".repeat(5000) }), NOW)),
    "model",
  );
  assert.equal(
    problemField(() =>
      checkRule({ ...ruleRequest("strong"), frequency: "hourly" as "every" }, NOW)
    ),
    "frequency",
  );
  assert.equal(
    problemField(() => checkRule({ ...ruleRequest("strong"), direction: "sideways" as "up" }, NOW)),
    "direction",
  );
  assert.equal(
    problemField(() => checkRule({ ...ruleRequest("strong"), rule: "always" as "strong" }, NOW)),
    "rule",
  );
});

Deno.test("an expiry day is inclusive, in the future and at most two years ahead", () => {
  const today = checkRule(ruleRequest("strong", { expiresOn: "2025-03-10" }), NOW);
  assert.equal(today.expiresAt?.toISOString(), "2025-03-11T00:00:00.000Z");
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { expiresOn: "2025-03-09" }), NOW)),
    "expires",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { expiresOn: "2025-02-30" }), NOW)),
    "expires",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { expiresOn: "2030-01-01" }), NOW)),
    "expires",
  );
  assert.equal(
    problemField(() => checkRule(ruleRequest("strong", { expiresOn: "next week" }), NOW)),
    "expires",
  );
});

Deno.test("describeRule says what a rule does in words", () => {
  const text = (request: Parameters<typeof checkRule>[0]) => describeRule(checkRule(request, NOW));
  assert.equal(
    text(ruleRequest("strong", { symbol: "AAPL", minConfidence: 0.8 })),
    "AAPL: a call at 80% or more",
  );
  assert.equal(
    text(ruleRequest("strong", {
      symbol: "AAPL",
      model: "momentum",
      direction: "up",
      frequency: "daily",
      digest: true,
      expiresOn: "2025-04-01",
    })),
    "AAPL: a call at 70% or more, by momentum, up only, at most once a day, in the daily digest, " +
      "until 2025-04-01",
  );
  assert.equal(
    text(ruleRequest("consensus", { symbol: "MSFT", minModels: 3, frequency: "once" })),
    "MSFT: 3 or more models agree, once",
  );
  assert.equal(
    text(ruleRequest("flip", { model: "momentum" })),
    "any stock: a model changes its call, by momentum",
  );
  assert.equal(
    text(ruleRequest("win_rate", { model: "momentum", winRateBelow: 0.45 })),
    "any stock: win rate falls below 45%, by momentum",
  );
});
