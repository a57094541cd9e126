// A lexicon-based tone scorer for financial headlines: what the built-in news-tone model reads, and
// a baseline that any LLM reading the same headlines should beat. Words are cut to rough stems, so
// one lexicon entry covers a word's inflections; cashtags, @mentions and URLs are dropped (a ticker
// such as $BEAT or a handle is not an opinion); a negator ("not", "no", "fails to", "doesn't"…)
// flips the tone of the next few words, up to the end of the clause.
import { TONE_LEXICON } from "./tone_lexicon.ts";

export interface Tone {
  /** −1 (bearish) to 1 (bullish); 0 when no lexicon term occurs or they cancel out. */
  score: number;
  /** Terms found, as written; a negated term comes with its negator ("not beat" is negative). */
  positive: string[];
  negative: string[];
}

/** Words after a negator whose tone it flips ("not expected to beat" still negates "beat"). */
const NEGATION_SCOPE = 3;

const NEGATORS = new Set([
  "not",
  "no",
  "never",
  "without",
  "cannot",
  "nor",
  "neither",
  // Contractions, with and without the apostrophe that tweets often drop.
  ...["do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "wo", "ca"]
    .concat(["could", "would", "should"])
    .flatMap((verb) => [`${verb}n't`, `${verb}nt`]),
]);
/** Two-word negators, as stems: "fails to beat" is a miss, not a failure and a beat. */
const NEGATOR_PHRASES = new Set(["fail to", "unable to"].map(stemPhrase));

/** Stemmed term → weight; and the longest term's length in words. */
const LEXICON = new Map(
  Object.entries(TONE_LEXICON).map(([term, weight]) => [
    stemPhrase(term),
    weight,
  ]),
);
const LONGEST_TERM = Math.max(...[...LEXICON.keys()].map((term) => term.split(" ").length));

const IGNORED = /https?:\/\/\S+|www\.\S+|[$@][a-z_][\w.]*/gi;
// Words (with an inner apostrophe), numbers (kept whole so "1.5" is no clause end), and the
// punctuation that ends a clause, including a dash between spaces ("$ALLY - Ally pulls outlook").
const TOKEN = /[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[.,;:!?()|\u2013\u2014]|\s-\s/g;
const WORD = /^[a-z\d]/;

/** A word, or null for a clause break. */
type Token = { text: string; stem: string } | null;

/**
 * The tone of `text`: with S the sum of the matched terms' signed weights and A the sum of their
 * absolute weights, score = S / (A + 1). The +1 lets evidence accumulate (one +1 term gives 0.5,
 * three give 0.75) and keeps the score inside (−1, 1); mixed terms pull it towards 0.
 */
export function scoreText(text: string): Tone {
  const tokens = tokenize(text);
  const positive: string[] = [];
  const negative: string[] = [];
  let sum = 0;
  let total = 0;
  let negator = "";
  let negatedWords = 0;
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i];
    if (token === null) {
      negatedWords = 0;
      i++;
      continue;
    }
    const negation = negatorLength(tokens, i);
    if (negation > 0) {
      negator = surface(tokens, i, negation);
      negatedWords = NEGATION_SCOPE;
      i += negation;
      continue;
    }
    const match = termAt(tokens, i);
    const length = match?.length ?? 1;
    if (match) {
      const negated = negatedWords > 0;
      const weight = negated ? -match.weight : match.weight;
      const term = surface(tokens, i, length);
      (weight > 0 ? positive : negative).push(negated ? `${negator} ${term}` : term);
      sum += weight;
      total += Math.abs(weight);
    }
    negatedWords = Math.max(0, negatedWords - length);
    i += length;
  }
  return { score: sum / (total + 1), positive, negative };
}

/**
 * A rough stem, the same for a word's common inflections: possessive, plural and third person
 * "-s", "-ies"/"-ied", "-ing", "-ed" (undoubling "slipped" → "slip" but not "missed"), and a
 * final "e" ("surge", "surged", "surging" → "surg"). Not a linguistic stemmer: it only has to map
 * lexicon entries and headline words to the same key.
 */
export function stem(word: string): string {
  let w = word.endsWith("'s") ? word.slice(0, -2) : word;
  if (w.length > 4 && (w.endsWith("ies") || w.endsWith("ied"))) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  else if (w.length > 5 && w.endsWith("ing")) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith("ed") && !w.endsWith("eed")) w = undouble(w.slice(0, -2));
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([^aeioulsz])\1$/.test(w) ? w.slice(0, -1) : w;
}

function stemPhrase(phrase: string): string {
  return phrase.split(" ").map(stem).join(" ");
}

function tokenize(text: string): Token[] {
  const cleaned = text.replace(IGNORED, " ").toLowerCase().replaceAll("\u2019", "'");
  return [...cleaned.matchAll(TOKEN)].map(([text]) =>
    WORD.test(text) ? { text, stem: stem(text) } : null
  );
}

/** The stems of the `length` words from `start`, or null when a clause break interrupts them. */
function stemsAt(tokens: Token[], start: number, length: number): string | null {
  const stems: string[] = [];
  for (let i = start; i < start + length; i++) {
    const token = tokens[i];
    if (!token) return null; // a clause break, or the end of the text
    stems.push(token.stem);
  }
  return stems.join(" ");
}

function surface(tokens: Token[], start: number, length: number): string {
  return tokens.slice(start, start + length).map((word) => word?.text).join(" ");
}

/** How many words of a negator start at `i` (0: none). */
function negatorLength(tokens: Token[], i: number): number {
  if (NEGATORS.has(tokens[i]?.text ?? "")) return 1;
  const pair = stemsAt(tokens, i, 2);
  return pair !== null && NEGATOR_PHRASES.has(pair) ? 2 : 0;
}

/** The longest lexicon term starting at `i`. */
function termAt(tokens: Token[], i: number): { length: number; weight: number } | null {
  for (let length = LONGEST_TERM; length >= 1; length--) {
    const stems = stemsAt(tokens, i, length);
    const weight = stems === null ? undefined : LEXICON.get(stems);
    if (weight !== undefined) return { length, weight };
  }
  return null;
}
