// Which stocks a news item is about (news_stock). Pure: text and the stock universe in, scored
// matches out.
//
// Scoring — every match is the strongest single piece of evidence found, one table:
//
//   1.00 tagged     the source itself tagged the ticker (a per-ticker feed, a ticker column)
//   0.95 cashtag    "$AAPL", "$aapl", "$BRK.B"
//   0.95 symbol     after an exchange prefix: "NASDAQ: AAPL", "(NYSE:A)"
//   0.90 name       the name with a corporate suffix: "Apple Inc.", "Meta Platforms, Inc."
//   0.90 symbol     in parentheses: "Apple (AAPL)", "Apple's (AAPL) Q1 earnings"
//   0.85 name       a distinctive name, whole word, any case: "Microsoft", "Agilent Technologies"
//   0.80 alias      a distinctive alias: "Google", "iPhone maker"
//   0.70 symbol     bare upper-case ticker in financial text: "AAPL stock alert"
//   0.70 name/alias a name that is a common word ("Apple", "Meta", "Amazon"): only capitalised,
//                   only next to business words, never in a common-noun phrase (below)
//   0.60 symbol     in a list of tickers: "Most Active: INTC, RY, AAPL, BN"
//
// Found only in the summary, not the title: × 0.85 (the story mentions it, it is not about it).
//
// Guards against the classic false positives:
// - A bare ticker must be upper case in text that isn't all capitals, must not be a common word
//   or abbreviation ("ALL", "NOW", "ON", "IT", "HD", "AI", "META"), and the text must be financial.
//   One-letter tickers ("A", "F", "T") count only as a cashtag, after an exchange prefix, or in a
//   ticker list — never bare, never in parentheses ("Plan (A)").
// - A name that is a common word needs its capitals ("apple" is fruit), a business word anywhere
//   in the text (shares, earnings, CEO, iPhone, lawsuit… see match_words.ts), no food or nature
//   word in the text ("Apple pie recipes", "Amazon rainforest"), and must not be followed by a
//   common-noun continuation ("Meta description", "meta-analysis", "Apple of my eye") or preceded
//   by one ("the Big Apple").
// - A multi-word name made of common words ("Home Depot", "General Motors") needs its capitals.
import type { Stock } from "../stocks/stock.ts";
import {
  ACRONYMS,
  COMMON_WORDS,
  CONTEXT_PHRASES,
  CONTEXT_WORDS,
  NEGATIVE_FOLLOWERS,
  NEGATIVE_PRECEDERS,
  VETO_WORDS,
} from "./match_words.ts";

export type MatchedOn = "tagged" | "cashtag" | "symbol" | "name" | "alias";

export interface StockMatch {
  stockId: number;
  /** 0–1, see the table at the top of this module. */
  score: number;
  matchedOn: MatchedOn;
}

export interface MatchText {
  title: string;
  summary: string | null;
}

export const SCORES = {
  tagged: 1,
  cashtag: 0.95,
  exchangeSymbol: 0.95,
  fullName: 0.9,
  parenSymbol: 0.9,
  distinctiveName: 0.85,
  distinctiveAlias: 0.8,
  bareSymbol: 0.7,
  commonWordName: 0.7,
  symbolList: 0.6,
} as const;

export const SUMMARY_ONLY_FACTOR = 0.85;

/** Matches `text` against `stocks`; `tagged` are tickers the source itself attached. */
export function matchStocks(text: MatchText, stocks: Stock[], tagged: string[] = []): StockMatch[] {
  return compileMatcher(stocks)(text, tagged);
}

/** Prepares the universe once for many texts (the crawl job matches every new item). */
export function compileMatcher(
  stocks: Stock[],
): (text: MatchText, tagged?: string[]) => StockMatch[] {
  const compiled = stocks.map(compileStock);
  return (text, tagged = []) => {
    const taggedSet = new Set(
      tagged.map((symbol) => symbol.trim().replace(/^\$/, "").toUpperCase()),
    );
    const title = analyseField(text.title);
    const summary = text.summary ? analyseField(text.summary) : null;
    const whole = `${title.text} ${summary?.text ?? ""}`;
    const context = hasContext(whole);
    const vetoed = hasVeto(whole);

    const matches: StockMatch[] = [];
    for (const stock of compiled) {
      if (taggedSet.has(stock.symbol)) {
        matches.push({ stockId: stock.id, score: SCORES.tagged, matchedOn: "tagged" });
        continue;
      }
      const inTitle = bestEvidence(stock, title, context, vetoed);
      const inSummary = summary ? bestEvidence(stock, summary, context, vetoed) : null;
      const best = inTitle ??
        (inSummary && { ...inSummary, score: inSummary.score * SUMMARY_ONLY_FACTOR });
      if (best) {
        matches.push({
          stockId: stock.id,
          score: Math.round(best.score * 100) / 100,
          matchedOn: best.matchedOn,
        });
      }
    }
    return matches.sort((a, b) => b.score - a.score || a.stockId - b.stockId);
  };
}

// --------------------------------------------------------------------------- stock patterns

type Level = "distinctive" | "commonPhrase" | "commonWord";

interface NameForm {
  matchedOn: "name" | "alias";
  level: Level;
  /** Global, with word boundaries; case-insensitive only for distinctive forms. */
  pattern: RegExp;
  /** The all-capitals spelling, tried in all-capitals text (case-sensitive forms only). */
  shouted: RegExp | null;
  score: number;
}

interface CompiledStock {
  id: number;
  symbol: string;
  /** Spellings of the ticker in text: BRK-B, BRK.B, BRK/B; BTC for BTC-USD. */
  symbolForms: Set<string>;
  /** Trusted bare and in parentheses (≥ 2 characters, not a word or abbreviation). */
  bareOk: boolean;
  fullName: RegExp;
  names: NameForm[];
}

const CORPORATE_SUFFIX =
  "(?:inc|incorporated|corp|corporation|co|company|ltd|limited|plc|llc|l\\.?p|n\\.?v|s\\.?a|ag|se|holdings?|group)";

/** Trailing legal form, share class or listing detail of a registered name. */
const STRIP_SUFFIX = new RegExp(
  `(?:,?\\s+|\\s*&\\s*)(?:${CORPORATE_SUFFIX}|\\(?class\\s+[a-c]\\)?|common\\s+stock|ordinary\\s+shares|` +
    `american\\s+depositary\\s+shares|adr|\\(the\\))\\.?$`,
  "i",
);

/** "Apple Inc." → "Apple"; "The Walt Disney Company" → "Walt Disney"; "Amazon.com, Inc." → "Amazon". */
export function coreName(name: string): string {
  let core = name.trim().replace(/^the\s+/i, "");
  for (let previous = ""; previous !== core;) {
    previous = core;
    const stripped = core.replace(STRIP_SUFFIX, "").replace(/\.com$/i, "").trim();
    if (stripped.length >= 2) core = stripped;
  }
  return core;
}

function compileStock(stock: Stock): CompiledStock {
  const symbol = stock.symbol.toUpperCase();
  const forms = new Set([symbol, symbol.replace(/-/g, "."), symbol.replace(/-/g, "/")]);
  forms.add(symbol.replace(/\./g, "-"));
  // Crypto pairs are written by their base: "$BTC", "BTC" for BTC-USD.
  const pair = /^([A-Z0-9]{2,10})-(?:USD|USDT|EUR|GBP)$/.exec(symbol);
  if (stock.assetClass === "crypto" && pair) forms.add(pair[1]);
  const shortest = Math.min(...[...forms].map((form) => form.length));
  const bareOk = !symbol.startsWith("^") && shortest >= 2 &&
    [...forms].every((form) => !isWordOrAcronym(form));

  const core = coreName(stock.name);
  const names: NameForm[] = [];
  const seen = new Set<string>();
  const add = (text: string, matchedOn: "name" | "alias") => {
    const trimmed = text.trim();
    if (trimmed.length < 2 || seen.has(trimmed.toLowerCase())) return;
    seen.add(trimmed.toLowerCase());
    names.push(nameForm(trimmed, matchedOn));
  };
  add(core, "name");
  for (const alias of stock.aliases) add(alias, "alias");

  return {
    id: stock.id,
    symbol,
    symbolForms: forms,
    bareOk,
    // The name as written, then a legal form in any case: "Apple Inc.", "Apple INC".
    fullName: new RegExp(
      `${boundaryStart}${phrase(core)},?\\s+${anyCase(CORPORATE_SUFFIX)}${boundaryEnd}`,
      "gu",
    ),
    names,
  };
}

function nameForm(text: string, matchedOn: "name" | "alias"): NameForm {
  const words = text.toLowerCase().split(/[\s-]+/).filter(Boolean);
  const common = words.every((word) => COMMON_WORDS.has(word.replace(/'s$/, "")));
  const level: Level = !common ? "distinctive" : words.length > 1 ? "commonPhrase" : "commonWord";
  const body = `${boundaryStart}${phrase(text)}${boundaryEnd}`;
  return {
    matchedOn,
    level,
    pattern: new RegExp(body, level === "distinctive" ? "giu" : "gu"),
    shouted: level === "distinctive"
      ? null
      : new RegExp(`${boundaryStart}${phrase(text.toUpperCase())}${boundaryEnd}`, "gu"),
    score: level === "commonWord"
      ? SCORES.commonWordName
      : matchedOn === "name"
      ? SCORES.distinctiveName
      : SCORES.distinctiveAlias,
  };
}

const boundaryStart = "(?<![\\p{L}\\p{N}])";
const boundaryEnd = "(?![\\p{L}\\p{N}])";

/** A name as a pattern: literal characters, any run of spaces. */
function phrase(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
}

/** Letters of a pattern as case-insensitive classes ("inc" → "[iI][nN][cC]"). */
function anyCase(pattern: string): string {
  return pattern.replace(/(?<!\\)[a-z]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);
}

function isWordOrAcronym(token: string): boolean {
  return COMMON_WORDS.has(token.toLowerCase()) || ACRONYMS.has(token.toUpperCase());
}

// ------------------------------------------------------------------------------- text fields

interface Field {
  text: string;
  /** Mostly capitals ("US STOCKS-FUTURES SLIDE"): upper case says nothing about tickers. */
  shouting: boolean;
  cashtags: Set<string>;
  exchangeSymbols: Set<string>;
  parenSymbols: Set<string>;
  listSymbols: Set<string>;
  upperTokens: Set<string>;
}

const TICKER = "[A-Z][A-Z0-9]*(?:[.\\-/][A-Z]{1,3})?";
const CASHTAG =
  /(?<![\p{L}\p{N}$])\$([A-Za-z][A-Za-z0-9]*(?:[.\-][A-Za-z]{1,3})?)(?![\p{L}\p{N}])/gu;
const EXCHANGE = new RegExp(
  "(?<![\\p{L}\\p{N}])(?:NYSE(?:\\s+American|\\s+Arca|\\s+MKT)?|NYSEARCA|NASDAQ(?:GS|GM|CM)?|" +
    "AMEX|OTC(?:MKTS|QX|QB)?|BATS|CBOE|TSXV?|LSE|ASX|HKEX|XETRA)\\s*:\\s*" +
    "([A-Za-z][A-Za-z0-9]*(?:[.\\-][A-Za-z]{1,3})?)(?![\\p{L}\\p{N}])",
  "giu",
);
const PAREN = new RegExp(`\\(\\s*(${TICKER})\\s*\\)`, "gu");
const UPPER_TOKEN = new RegExp(`(?<![\\p{L}\\p{N}$])${TICKER}(?![\\p{L}\\p{N}])`, "gu");
const LIST = new RegExp(
  `(?<![\\p{L}\\p{N}$])${TICKER}(?:\\s*,\\s*${TICKER}){2,}(?![\\p{L}\\p{N}])`,
  "gu",
);
/** Reuters instrument codes: "AAPL.O" (Nasdaq), "JPM.N" (NYSE). */
const RIC_SUFFIX = /\.(?:O|OQ|N|K|A|P)$/;

function analyseField(raw: string): Field {
  const text = raw.normalize("NFKC").replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, " ")
    .trim();
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  const upperWords = words.filter((word) => word === word.toUpperCase()).length;
  const shouting = words.length >= 3 && upperWords / words.length > 0.7;

  const listSymbols = new Set<string>();
  // Outside lists: a ticker in a round-up list is weaker evidence than one in a sentence.
  let outsideLists = text;
  for (const match of text.matchAll(LIST)) {
    const items = match[0].split(",").map((item) => item.trim());
    // A ticker list, not "US, UK, EU": at least two items that are no word or abbreviation.
    if (items.filter((item) => item.length >= 2 && !isWordOrAcronym(item)).length >= 2) {
      for (const item of items) listSymbols.add(item);
      outsideLists = outsideLists.slice(0, match.index) + " ".repeat(match[0].length) +
        outsideLists.slice(match.index + match[0].length);
    }
  }
  return {
    text,
    shouting,
    cashtags: new Set([...text.matchAll(CASHTAG)].map((match) => match[1].toUpperCase())),
    exchangeSymbols: new Set([...text.matchAll(EXCHANGE)].map((match) => match[1].toUpperCase())),
    parenSymbols: new Set([...text.matchAll(PAREN)].map((match) => match[1])),
    listSymbols,
    upperTokens: new Set([...outsideLists.matchAll(UPPER_TOKEN)].map((match) => match[0])),
  };
}

function hasContext(text: string): boolean {
  const lower = text.toLowerCase();
  const tokens = lower.match(/[\p{L}\p{N}&']+/gu) ?? [];
  if (
    tokens.some((token) => CONTEXT_WORDS.has(token) || CONTEXT_WORDS.has(token.replace(/'s$/, "")))
  ) {
    return true;
  }
  if (CONTEXT_PHRASES.some((context) => containsPhrase(lower, context))) return true;
  // Money, percentages, quarters and fiscal years are financial by themselves.
  return /\$\s?\d|\d%|\bq[1-4]\b|\bfy\s?\d{2}/i.test(text);
}

function hasVeto(text: string): boolean {
  return (text.toLowerCase().match(/\p{L}+/gu) ?? []).some((word) => VETO_WORDS.has(word));
}

function containsPhrase(lower: string, target: string): boolean {
  return new RegExp(`${boundaryStart}${phrase(target)}${boundaryEnd}`, "u").test(lower);
}

// --------------------------------------------------------------------------------- evidence

interface Evidence {
  score: number;
  matchedOn: MatchedOn;
}

/** The strongest evidence that `field` mentions `stock`, or null. */
function bestEvidence(
  stock: CompiledStock,
  field: Field,
  context: boolean,
  vetoed: boolean,
): Evidence | null {
  const candidates: Evidence[] = [];
  const hasForm = (set: Set<string>) =>
    [...set].some((token) =>
      stock.symbolForms.has(token) || stock.symbolForms.has(token.replace(RIC_SUFFIX, ""))
    );

  if (hasForm(field.cashtags)) candidates.push({ score: SCORES.cashtag, matchedOn: "cashtag" });
  if (hasForm(field.exchangeSymbols)) {
    candidates.push({ score: SCORES.exchangeSymbol, matchedOn: "symbol" });
  }
  if (stock.bareOk && hasForm(field.parenSymbols)) {
    candidates.push({ score: SCORES.parenSymbol, matchedOn: "symbol" });
  }
  if (stock.bareOk && !field.shouting && context && hasForm(field.upperTokens)) {
    candidates.push({ score: SCORES.bareSymbol, matchedOn: "symbol" });
  }
  if (hasForm(field.listSymbols)) {
    candidates.push({ score: SCORES.symbolList, matchedOn: "symbol" });
  }
  if (test(stock.fullName, field.text)) {
    candidates.push({ score: SCORES.fullName, matchedOn: "name" });
  }
  for (const form of stock.names) {
    if (nameMatches(form, field, context, vetoed)) {
      candidates.push({ score: form.score, matchedOn: form.matchedOn });
    }
  }
  if (candidates.length === 0) return null;
  return candidates.reduce((best, candidate) => (candidate.score > best.score ? candidate : best));
}

function nameMatches(form: NameForm, field: Field, context: boolean, vetoed: boolean): boolean {
  const patterns = field.shouting && form.shouted ? [form.pattern, form.shouted] : [form.pattern];
  if (form.level !== "commonWord") return patterns.some((pattern) => test(pattern, field.text));
  if (!context || vetoed) return false;
  return patterns.some((pattern) =>
    [...field.text.matchAll(pattern)].some((match) =>
      isProperNounUse(field.text, match.index, match.index + match[0].length)
    )
  );
}

/** Rejects "Meta description", "meta-analysis", "Apple of my eye", "the Big Apple". */
function isProperNounUse(text: string, start: number, end: number): boolean {
  const after = text.slice(end);
  if (/^-\p{Ll}/u.test(after)) return false;
  const follower = /^(?:\s+|-)(\p{L}+)/u.exec(after)?.[1].toLowerCase();
  if (follower && NEGATIVE_FOLLOWERS.has(follower)) return false;
  const preceder = /(\p{L}+(?:'s)?)\s+$/u.exec(text.slice(0, start))?.[1].toLowerCase();
  return !(preceder && NEGATIVE_PRECEDERS.has(preceder));
}

function test(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}
