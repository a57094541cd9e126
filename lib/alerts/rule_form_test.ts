import assert from "node:assert/strict";
import { RuleInvalid, ruleRequest } from "./subscription_input.ts";
import { ruleFromForm } from "./rule_form.ts";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

function invalidField(fields: Record<string, string>): string {
  try {
    ruleFromForm(form(fields));
  } catch (error) {
    assert.ok(error instanceof RuleInvalid, String(error));
    return error.field;
  }
  assert.fail("expected RuleInvalid");
}

Deno.test("the form's fields become a rule request; other rules' fields are ignored", () => {
  assert.deepEqual(
    ruleFromForm(form({
      rule: "strong",
      stock: "AAPL",
      model: "",
      direction: "up",
      min_confidence: "85%",
      min_models: "4",
      win_rate_below: "0.4",
      frequency: "daily",
      expires: "2030-01-01",
      digest: "on",
    })),
    ruleRequest("strong", {
      symbol: "AAPL",
      direction: "up",
      minConfidence: 0.85,
      frequency: "daily",
      expiresOn: "2030-01-01",
      digest: true,
    }),
  );
  assert.deepEqual(
    ruleFromForm(form({ rule: "consensus", stock: "MSFT", model: "momentum", min_models: "3" })),
    ruleRequest("consensus", { symbol: "MSFT", minModels: 3 }),
  );
  assert.deepEqual(
    ruleFromForm(
      form({ rule: "win_rate", model: "momentum", win_rate_below: "45%", direction: "up" }),
    ),
    ruleRequest("win_rate", { model: "momentum", winRateBelow: 0.45 }),
  );
});

Deno.test("unreadable values are refused naming their field", () => {
  assert.equal(invalidField({}), "rule");
  assert.equal(invalidField({ rule: "always" }), "rule");
  assert.equal(invalidField({ rule: "strong", min_confidence: "high" }), "min_confidence");
  assert.equal(invalidField({ rule: "strong", min_confidence: "80" }), "min_confidence");
  assert.equal(invalidField({ rule: "strong", direction: "sideways" }), "direction");
  assert.equal(invalidField({ rule: "strong", frequency: "hourly" }), "frequency");
  assert.equal(invalidField({ rule: "consensus", min_models: "three" }), "min_models");
  assert.equal(invalidField({ rule: "win_rate", win_rate_below: "<script>" }), "win_rate_below");
});
