// The account page's "add a rule" form: field names are the rule's own (min_confidence, min_models,
// win_rate_below…), so a problem the domain reports (RuleInvalid.field) lands on its field. Fields
// that don't belong to the chosen kind of rule are ignored, so switching kinds never trips on a
// value left in another rule's field.
import { formText } from "../http/form_actions.ts";
import { parseFraction, RuleInvalid, type RuleRequest, ruleRequest } from "./subscription_input.ts";
import { ALERT_FREQUENCIES, ALERT_RULES, type AlertFrequency, type AlertRule } from "./types.ts";
import { type Direction, DIRECTIONS } from "../predict/types.ts";

export const RULE_LABELS: Record<AlertRule, string> = {
  strong: "A strong call",
  consensus: "Models agree (consensus)",
  flip: "A model changes its call (flip)",
  win_rate: "A model's win rate falls (win rate)",
};

export const FREQUENCY_LABELS: Record<AlertFrequency, string> = {
  every: "Every time",
  daily: "At most once a day",
  once: "Once, then the rule ends",
};

function oneOf<T extends string>(form: FormData, name: string, allowed: readonly T[]): T | null {
  const value = formText(form, name);
  if (value === "") return null;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RuleInvalid(name, `expected one of ${allowed.join(", ")}`);
  }
  return value as T;
}

function fraction(form: FormData, name: string, example: string): number | null {
  const text = formText(form, name);
  if (text === "") return null;
  const value = parseFraction(text);
  if (value === null) throw new RuleInvalid(name, `expected a number such as ${example}`);
  return value;
}

/** The rule a posted form asks for; `RuleInvalid` for a value that can't be read. */
export function ruleFromForm(form: FormData): RuleRequest {
  const rule = oneOf(form, "rule", ALERT_RULES);
  if (rule === null) throw new RuleInvalid("rule", "choose what the alert is about");
  const minModelsText = formText(form, "min_models");
  if (rule === "consensus" && minModelsText !== "" && !/^\d{1,3}$/.test(minModelsText)) {
    throw new RuleInvalid("min_models", "expected a whole number of models, such as 3");
  }
  return ruleRequest(rule, {
    symbol: formText(form, "stock") || null,
    model: rule === "consensus" ? null : formText(form, "model") || null,
    direction: rule === "win_rate" ? null : oneOf<Direction>(form, "direction", DIRECTIONS),
    minConfidence: rule === "win_rate" ? null : fraction(form, "min_confidence", "0.8 or 80%"),
    minModels: rule === "consensus" && minModelsText !== "" ? Number(minModelsText) : null,
    winRateBelow: rule === "win_rate" ? fraction(form, "win_rate_below", "0.45 or 45%") : null,
    frequency: oneOf(form, "frequency", ALERT_FREQUENCIES) ?? "every",
    expiresOn: formText(form, "expires") || null,
    digest: formText(form, "digest") === "on",
  });
}
