// What an alert rule asks for, checked before it is stored (lib/alerts/subscriptions.ts): the bot's
// /subscribe and the account page both build a `RuleRequest`; each problem is reported naming its
// field. Column meanings are those of migrations/0005_alerts.sql.
import { BadRequest } from "../http/errors.ts";
import { type Direction, DIRECTIONS } from "../predict/types.ts";
import { normalizeSymbol } from "../stocks/symbol.ts";
import { hasControlCharacter } from "../util/control_characters.ts";
import { ALERT_FREQUENCIES, ALERT_RULES, type AlertFrequency, type AlertRule } from "./types.ts";

/** The column default: a strong prediction is one at or above 70% confidence. */
export const DEFAULT_MIN_CONFIDENCE = 0.7;
/** Rules without a confidence of their own (consensus, flip, win rate) take every prediction. */
export const NO_CONFIDENCE_FLOOR = 0;
export const MIN_MODELS_RANGE = [2, 100] as const;
/** Latest allowed expiry, in days from today. */
export const MAX_EXPIRY_DAYS = 2 * 366;
const MODEL_NAME_MAX_LENGTH = 80;

export interface RuleRequest {
  rule: AlertRule;
  /** A ticker; null: any stock. */
  symbol: string | null;
  /** A model name; null: any model (consensus: always null, it is about all of them). */
  model: string | null;
  direction: Direction | null;
  /** 0–1; null: the rule's default. */
  minConfidence: number | null;
  /** consensus only. */
  minModels: number | null;
  /** win_rate only: 0 < rate < 1. */
  winRateBelow: number | null;
  frequency: AlertFrequency;
  /** Last UTC day the rule is in force (YYYY-MM-DD); null: no expiry. */
  expiresOn: string | null;
  digest: boolean;
}

/** A request whose fields are each within their column's meaning. */
export interface CheckedRule extends Omit<RuleRequest, "minConfidence" | "expiresOn"> {
  minConfidence: number;
  /** The instant the rule lapses: midnight UTC after `expiresOn`. */
  expiresAt: Date | null;
}

/** A rule that can't be stored as asked; `field` names what to fix. */
export class RuleInvalid extends BadRequest {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`, { field });
  }
}

/** A request with every optional part left out. */
export function ruleRequest(rule: AlertRule, parts: Partial<RuleRequest> = {}): RuleRequest {
  return {
    rule,
    symbol: null,
    model: null,
    direction: null,
    minConfidence: null,
    minModels: null,
    winRateBelow: null,
    frequency: "every",
    expiresOn: null,
    digest: false,
    ...parts,
  };
}

/**
 * A fraction as people type one: "0.8", ".8" or "80%"; null for anything else (a bare 80 could
 * mean either). Range checks are `checkRule`'s.
 */
export function parseFraction(text: string): number | null {
  const percent = /^(\d{1,3}(?:\.\d{1,2})?)%$/.exec(text);
  if (percent) return Number(percent[1]) / 100;
  return /^(0|1)?\.\d{1,4}$|^[01]$/.test(text) ? Number(text) : null;
}

function isDay(text: string): boolean {
  const parsed = new Date(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(parsed.getTime()) &&
    parsed.toISOString().slice(0, 10) === text;
}

function dayAfter(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

function checkShape(request: RuleRequest): void {
  if (!(ALERT_RULES as readonly string[]).includes(request.rule)) {
    throw new RuleInvalid("rule", `expected one of ${ALERT_RULES.join(", ")}`);
  }
  if (!(ALERT_FREQUENCIES as readonly string[]).includes(request.frequency)) {
    throw new RuleInvalid("frequency", `expected one of ${ALERT_FREQUENCIES.join(", ")}`);
  }
  if (request.direction !== null && !DIRECTIONS.includes(request.direction)) {
    throw new RuleInvalid("direction", `expected one of ${DIRECTIONS.join(", ")}`);
  }
  if (request.symbol !== null && normalizeSymbol(request.symbol) === null) {
    throw new RuleInvalid("stock", "not a ticker symbol (e.g. AAPL, BRK-B, BTC-USD)");
  }
  if (request.model !== null) {
    const name = request.model.trim();
    if (!name || name.length > MODEL_NAME_MAX_LENGTH || hasControlCharacter(name)) {
      throw new RuleInvalid(
        "model",
        `expected a model name of 1–${MODEL_NAME_MAX_LENGTH} characters`,
      );
    }
  }
}

function checkNumbers(request: RuleRequest): void {
  const { rule, minConfidence, minModels, winRateBelow } = request;
  if (minConfidence !== null && !(minConfidence >= 0 && minConfidence <= 1)) {
    throw new RuleInvalid("min_confidence", "expected a number from 0 to 1 (e.g. 0.8 or 80%)");
  }
  if (rule === "consensus") {
    const [low, high] = MIN_MODELS_RANGE;
    if (minModels === null || !Number.isInteger(minModels) || minModels < low || minModels > high) {
      throw new RuleInvalid(
        "min_models",
        `a consensus needs a whole number of models, ${low}–${high}`,
      );
    }
  } else if (minModels !== null) {
    throw new RuleInvalid("min_models", "only a consensus rule counts models");
  }
  if (rule === "win_rate") {
    if (winRateBelow === null || !(winRateBelow > 0 && winRateBelow < 1)) {
      throw new RuleInvalid(
        "win_rate_below",
        "a win-rate rule needs a rate between 0 and 1, exclusive (e.g. 0.5 or 50%)",
      );
    }
    if (minConfidence !== null) {
      throw new RuleInvalid("min_confidence", "a win-rate rule is about a model, not one call");
    }
  } else if (winRateBelow !== null) {
    throw new RuleInvalid("win_rate_below", "only a win-rate rule has a win-rate threshold");
  }
}

function checkTargets(request: RuleRequest): void {
  const { rule, symbol, model, direction } = request;
  if (rule === "consensus" && model !== null) {
    throw new RuleInvalid("model", "a consensus is among all active models: leave the model out");
  }
  if (rule === "win_rate" && model === null) {
    throw new RuleInvalid("model", "a win-rate rule watches one model: name it");
  }
  if (rule === "win_rate" && direction !== null) {
    throw new RuleInvalid("direction", "a win-rate rule has no direction");
  }
  if (rule === "flip" && symbol === null && model === null) {
    // Every model turning on every stock is several messages a day: ask for a focus.
    throw new RuleInvalid("stock", "a flip rule needs a stock, a model or both");
  }
}

function checkExpiry(expiresOn: string | null, now: Date): Date | null {
  if (expiresOn === null) return null;
  if (!isDay(expiresOn)) throw new RuleInvalid("expires", "expected a date YYYY-MM-DD");
  const expiresAt = dayAfter(expiresOn);
  if (expiresAt.getTime() <= now.getTime()) {
    throw new RuleInvalid("expires", "that day has passed: choose today or a later day");
  }
  if (expiresAt.getTime() - now.getTime() > MAX_EXPIRY_DAYS * 86_400_000) {
    throw new RuleInvalid("expires", `at most ${MAX_EXPIRY_DAYS} days ahead`);
  }
  return expiresAt;
}

/** The request as stored, or a `RuleInvalid` naming the first field to fix. */
export function checkRule(request: RuleRequest, now: Date = new Date()): CheckedRule {
  checkShape(request);
  checkNumbers(request);
  checkTargets(request);
  const expiresAt = checkExpiry(request.expiresOn, now);
  const { expiresOn: _, ...rest } = request;
  return {
    ...rest,
    symbol: request.symbol === null ? null : normalizeSymbol(request.symbol),
    model: request.model?.trim() ?? null,
    minConfidence: request.minConfidence ??
      (request.rule === "strong" ? DEFAULT_MIN_CONFIDENCE : NO_CONFIDENCE_FLOOR),
    expiresAt,
  };
}

/** The parts of a stored rule that say what it does. */
export type RuleTerms = Omit<CheckedRule, "expiresAt"> & { expiresAt: Date | null };

const percent = (value: number) => `${Math.round(value * 100)}%`;

/**
 * One line of plain text for a rule ("AAPL: a call at 80% or more, by momentum, up only, at most
 * once a day, until 2025-03-01"); the caller escapes it for HTML.
 */
export function describeRule(terms: RuleTerms): string {
  const stock = terms.symbol ?? "any stock";
  const parts: string[] = [];
  switch (terms.rule) {
    case "strong":
      parts.push(`a call at ${percent(terms.minConfidence)} or more`);
      break;
    case "consensus":
      parts.push(`${terms.minModels} or more models agree`);
      break;
    case "flip":
      parts.push("a model changes its call");
      break;
    case "win_rate":
      parts.push(`win rate falls below ${percent(terms.winRateBelow ?? 0)}`);
      break;
  }
  if (terms.rule !== "strong" && terms.minConfidence > 0) {
    parts.push(`confidence ${percent(terms.minConfidence)} or more`);
  }
  if (terms.model !== null) parts.push(`by ${terms.model}`);
  if (terms.direction !== null) parts.push(`${terms.direction} only`);
  if (terms.frequency === "once") parts.push("once");
  if (terms.frequency === "daily") parts.push("at most once a day");
  if (terms.digest) parts.push("in the daily digest");
  if (terms.expiresAt !== null) {
    // expires_at is the midnight after the last day.
    const lastDay = new Date(terms.expiresAt.getTime() - 86_400_000).toISOString().slice(0, 10);
    parts.push(`until ${lastDay}`);
  }
  return `${stock}: ${parts.join(", ")}`;
}
