// Command arguments as people type them in Telegram, parsed into what the domain takes. Pure: a
// problem comes back as plain text for the reply (which escapes it), never as an exception, and
// nothing typed is ever passed on unchecked — symbols must look like tickers, numbers must parse,
// words must be known ones.
import { parseFraction, type RuleRequest, ruleRequest } from "../alerts/subscription_input.ts";
import type { AlertFrequency } from "../alerts/types.ts";
import type { Direction } from "../predict/types.ts";
import { normalizeSymbol } from "../stocks/symbol.ts";
import { hasControlCharacter } from "../util/control_characters.ts";

/** Longest argument text a command reads; Telegram allows 4096 characters, no command needs it. */
export const MAX_ARGUMENTS_LENGTH = 300;
/** How long a typed word is quoted back in a reply. */
const QUOTE_LENGTH = 40;
export const MUTE_HOURS = [1, 168] as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = (text: string): Parsed<never> => ({ ok: false, problem: text });

/** A word the user typed, shortened for quoting back. */
export function quoted(text: string): string {
  const chars = [...text];
  return `"${chars.length > QUOTE_LENGTH ? `${chars.slice(0, QUOTE_LENGTH).join("")}…` : text}"`;
}

/** Words separated by spaces; "double quotes" keep a name with spaces together. */
export function tokenize(text: string): Parsed<string[]> {
  if (text.length > MAX_ARGUMENTS_LENGTH) {
    return problem(`That is ${text.length} characters: arguments fit in ${MAX_ARGUMENTS_LENGTH}.`);
  }
  // Line breaks and tabs separate words like spaces; any other control character is refused.
  if (hasControlCharacter(text.replace(/[\t\r\n]/g, " "))) {
    return problem("The arguments contain control characters.");
  }
  if ((text.match(/"/g)?.length ?? 0) % 2 === 1) return problem('A quote (") is not closed.');
  const tokens = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]).trim());
  return ok(tokens.filter((token) => token !== ""));
}

/** /mute HOURS: 1–168 hours, or "off" (0: unmute). */
export function parseMute(args: string): Parsed<number> {
  const tokens = tokenize(args);
  if (!tokens.ok) return tokens;
  const [low, high] = MUTE_HOURS;
  const usage = `Send /mute HOURS with ${low}–${high} hours (e.g. /mute 8), or /mute off.`;
  if (tokens.value.length !== 1) return problem(usage);
  const [token] = tokens.value;
  if (/^(off|0)$/i.test(token)) return ok(0);
  const hours = /^\d{1,3}$/.test(token) ? Number(token) : NaN;
  if (!(hours >= low && hours <= high)) {
    return problem(`${quoted(token)} is not a number of hours. ${usage}`);
  }
  return ok(hours);
}

/** /stock SYMBOL: one ticker. */
export function parseSymbol(args: string, command: string): Parsed<string> {
  const tokens = tokenize(args);
  if (!tokens.ok) return tokens;
  if (tokens.value.length !== 1) return problem(`Send ${command} SYMBOL, e.g. ${command} AAPL.`);
  const symbol = normalizeSymbol(tokens.value[0]);
  if (symbol === null) {
    return problem(
      `${quoted(tokens.value[0])} is not a ticker symbol (e.g. AAPL, BRK-B, BTC-USD).`,
    );
  }
  return ok(symbol);
}

/** What /unsubscribe names. */
export type UnsubscribeTarget =
  | { kind: "all" }
  | { kind: "any_stock" }
  /** A stock symbol or a model name: the handler looks which one it is. */
  | { kind: "name"; symbol: string | null; name: string };

export function parseUnsubscribe(args: string): Parsed<UnsubscribeTarget> {
  const tokens = tokenize(args);
  if (!tokens.ok) return tokens;
  if (tokens.value.length !== 1) {
    return problem(
      "Send /unsubscribe SYMBOL (or a model name, * for any-stock rules, all for every rule). " +
        "/list shows your rules with a button to remove each.",
    );
  }
  const [name] = tokens.value;
  if (name.toLowerCase() === "all") return ok({ kind: "all" });
  if (name === "*") return ok({ kind: "any_stock" });
  return ok({ kind: "name", symbol: normalizeSymbol(name), name });
}

const DIRECTION_WORDS: readonly Direction[] = ["up", "down", "flat"];
const FREQUENCY_WORDS: readonly AlertFrequency[] = ["once", "daily", "every"];
const WIN_RATE_WORDS = ["winrate", "win-rate", "win_rate"];

export const SUBSCRIBE_USAGE = "Send /subscribe SYMBOL [confidence], e.g. /subscribe AAPL 80%. " +
  "/help subscribe lists every kind of rule and option.";

/**
 * /subscribe TARGET [RULE] [OPTIONS]: the rule request, or what is wrong with it. Ranges (models,
 * rates, dates in the future) are the domain's to check (lib/alerts/subscription_input.ts).
 */
export function parseSubscribe(args: string): Parsed<RuleRequest> {
  const tokens = tokenize(args);
  if (!tokens.ok) return tokens;
  const [target, ...rest] = tokens.value;
  if (target === undefined) return problem(SUBSCRIBE_USAGE);
  // Only a win-rate rule starts with a model name; every other rule starts with a stock.
  const aboutModel = rest.some((token) => WIN_RATE_WORDS.includes(token.toLowerCase()));
  const symbol = normalizeSymbol(target);
  if (!aboutModel && target !== "*" && symbol === null) {
    return problem(`${quoted(target)} is not a ticker symbol (e.g. AAPL, BRK-B, BTC-USD).`);
  }
  const parts: Partial<RuleRequest> = {};
  let rule: RuleRequest["rule"] | null = null;
  const once = <K extends keyof RuleRequest>(key: K, value: RuleRequest[K], word: string) => {
    if (parts[key] !== undefined) return `${quoted(word)} is given twice.`;
    parts[key] = value;
    return null;
  };
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i];
    const word = token.toLowerCase();
    const next = rest[i + 1];
    let trouble: string | null = null;
    if (word === "consensus" || word === "flip" || WIN_RATE_WORDS.includes(word)) {
      if (rule !== null) return problem("Give one kind of rule: consensus, flip or winrate.");
      rule = word === "consensus" ? "consensus" : word === "flip" ? "flip" : "win_rate";
      if (rule === "consensus") {
        const models = next !== undefined && /^\d{1,3}$/.test(next) ? Number(next) : null;
        if (models === null) return problem("Say how many models must agree, e.g. consensus 3.");
        parts.minModels = models;
        i++;
      } else if (rule === "win_rate") {
        const rate = next === undefined ? null : parseFraction(next);
        if (rate === null) return problem("Give the win rate to fall below, e.g. winrate 45%.");
        parts.winRateBelow = rate;
        i++;
      }
    } else if (word === "by" || word === "until") {
      if (next === undefined) {
        return problem(word === "by" ? "Name the model after by." : "Give a date after until.");
      }
      if (word === "until" && !/^\d{4}-\d{2}-\d{2}$/.test(next)) {
        return problem(`${quoted(next)} is not a date: write it as YYYY-MM-DD.`);
      }
      trouble = word === "by" ? once("model", next, token) : once("expiresOn", next, token);
      i++;
    } else if ((DIRECTION_WORDS as readonly string[]).includes(word)) {
      trouble = once("direction", word as Direction, token);
    } else if ((FREQUENCY_WORDS as readonly string[]).includes(word)) {
      trouble = once("frequency", word as AlertFrequency, token);
    } else if (word === "digest") {
      trouble = once("digest", true, token);
    } else if (parseFraction(token) !== null) {
      trouble = once("minConfidence", parseFraction(token), token);
    } else if (/^\d+(\.\d+)?$/.test(token)) {
      return problem(`${quoted(token)}: write a confidence as 0.8 or 80%.`);
    } else {
      return problem(`I don't understand ${quoted(token)}. ${SUBSCRIBE_USAGE}`);
    }
    if (trouble) return problem(trouble);
  }
  rule ??= "strong";
  if (rule === "win_rate") {
    // "/subscribe MODEL winrate 45%": the target is the model watched.
    if (parts.model !== undefined) {
      return problem("A win-rate rule names its model first, not after by.");
    }
    return ok(ruleRequest(rule, { ...parts, model: target }));
  }
  return ok(ruleRequest(rule, { ...parts, symbol }));
}
