// The offline embedder: no network, no model file, the same text always gives the same vector bits.
//
// "hashed-tfidf-v1", step by step:
// 1. Text: NFKC-normalised (full-width letters, ligatures), URLs removed, lowercased.
// 2. Tokens: runs of Unicode letters, marks and digits ("3.5" and "1,000" stay whole), and
//    cashtags ("$aapl", "$brk.b") kept as their own tokens.
// 3. Features, each with a fixed weight (the IDF stand-in, step 4):
//    - the unigram, plural "s" stripped ("shares" → "share");
//    - for a cashtag, also the bare symbol, so "$AAPL" meets "Apple (AAPL)";
//    - for a word in the small finance lexicon (CONCEPTS), its concept ("fell", "slumps", "drops"
//      → down), so that paraphrases share features;
//    - the bigram of consecutive unigrams.
// 4. Weights, a built-in approximation of IDF (no corpus statistics, hence deterministic): stop
//    words 0.05; one-letter tokens 0.2; numbers 0.4; other words 0.5 + 0.1·length, capped at 1.5
//    (longer words are rarer: Zipf's law of abbreviation); cashtags 1.5; concepts 1.0; a bigram
//    0.7·√(product of its two unigram weights).
// 5. Value of a feature: weight × (1 + ln tf) (sublinear term frequency).
// 6. Signed feature hashing: a feature's 32-bit FNV-1a hash (over UTF-16 code units; for ASCII the
//    same as byte-wise FNV-1a; a bigram combines its two unigram hashes) goes through murmur3's
//    fmix32; bit 31 gives the sign, the other 31 bits modulo D the bucket. The signs make
//    collisions cancel on average instead of piling up.
// 7. L2 normalisation, computed in float64 and stored as float32.
// Text with no letters or digits ("???", "🚀🚀") uses its non-space characters as tokens. If hashing
// still cancels to zero (vanishingly rare), one bucket chosen by the text's hash gets 1.
//
// Any change to these steps changes the vectors: give it a new NAME so the index is rebuilt.
// Vectors depend on V8's Unicode tables only for characters newer Unicode versions add.
import { type Embedder, embedderId, type EmbedResult, prepareTexts } from "./port.ts";

export const OFFLINE_EMBEDDER_NAME = "offline:hashed-tfidf-v1";
export const OFFLINE_DEFAULT_DIMENSION = 384;
/** Only the start of a longer text is read: it bounds the time per text. */
export const OFFLINE_MAX_CHARS = 20_000;

export interface OfflineEmbedderOptions {
  /** Number of hash buckets (vector length). Default 384. */
  dimension?: number;
  /** Characters read per text. Default 20,000. */
  maxChars?: number;
}

const STOP_WORDS = new Set(
  (
    "a an the and or but nor of to in on at by for from with as into onto about than then so if " +
    "it its this that these those is are was were be been being am has have had do does did will " +
    "would shall should can could may might must i you he she we they me him her us them my your " +
    "his our their what which who whom whose when where why how all any both each few more most " +
    "other some such only own same too very s t just also via vs amid after before while during " +
    "again further once here there said says say new"
  ).split(" "),
);

/**
 * Finance words → a shared concept. Inflected forms are listed, not derived: the stemmer only
 * strips plurals. Directional words ("up", "down", "not") are deliberately not stop words.
 */
const CONCEPT_WORDS: Record<string, string> = {
  up: "rise rises rose risen rising gain gains gained gaining jump jumps jumped jumping surge " +
    "surges surged surging soar soars soared soaring climb climbs climbed climbing rally rallies " +
    "rallied rallying advance advances advanced higher up rebound rebounds rebounded spike spikes " +
    "spiked skyrocket skyrockets skyrocketed",
  down: "fall falls fell fallen falling drop drops dropped dropping slide slides slid sliding " +
    "slump slumps slumped tumble tumbles tumbled tumbling plunge plunges plunged plunging sink " +
    "sinks sank sinking decline declines declined declining slip slips slipped lower down tank " +
    "tanks tanked crash crashes crashed plummet plummets plummeted retreat retreats retreated " +
    "selloff sheds shed dip dips dipped",
  beat: "beat beats tops topped exceed exceeds exceeded surpass surpasses surpassed outpaces",
  miss: "miss misses missed disappoint disappoints disappointed disappointing shortfall",
  upgrade: "upgrade upgrades upgraded raise raises raised lifts lifted bullish outperform " +
    "overweight",
  downgrade: "downgrade downgrades downgraded cut cuts trims trimmed trim lowers lowered bearish " +
    "underperform underweight",
  results: "earnings earning results quarterly quarter profit profits revenue revenues eps sales " +
    "q1 q2 q3 q4 guidance outlook forecast forecasts",
  deal: "acquire acquires acquired acquisition acquisitions buyout takeover merger mergers merge " +
    "merges deal deals",
  layoffs: "layoff layoffs restructuring redundancies",
  legal: "lawsuit lawsuits sue sues sued probe probes investigation antitrust settlement fined " +
    "fine regulator regulators",
  payout: "dividend dividends buyback buybacks repurchase payout",
  loss: "loss losses lose loses lost losing deficit",
};

const CONCEPTS = new Map<string, number>();
for (const [concept, words] of Object.entries(CONCEPT_WORDS)) {
  const hash = fnv1a(`\u0001${concept}`);
  for (const word of words.split(/\s+/)) CONCEPTS.set(word, hash);
}

const URL_PATTERN = /\bhttps?:\/\/\S+|\bwww\.\S+/gu;
const TOKEN_PATTERN =
  /\$\p{L}[\p{L}\p{N}]{0,9}(?:\.\p{L}{1,2}(?![\p{L}\p{N}]))?|[\p{L}\p{M}\p{N}]+(?:(?<=\p{N})[.,]\p{N}+)*/gu;
const NUMBER = /^\p{N}/u;

/** The tokens of `text` as the embedder sees them: lowercase words, numbers and cashtags. */
export function tokenize(text: string): string[] {
  return text.normalize("NFKC").replace(URL_PATTERN, " ").toLowerCase().match(TOKEN_PATTERN) ??
    [];
}

/** Harman's "S" stemmer: plurals only ("companies" → "company", "shares" → "share"). */
function stem(word: string): string {
  if (word.length <= 3 || word.charCodeAt(word.length - 1) !== 0x73 /* s */) return word;
  if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) {
    return `${word.slice(0, -3)}y`;
  }
  if (word.endsWith("es") && !/[aeo]es$/.test(word)) return word.slice(0, -1);
  if (word.endsWith("us") || word.endsWith("ss")) return word;
  return word.slice(0, -1);
}

const STOP_WEIGHT = 0.05;
const CASHTAG_WEIGHT = 1.5;
const CONCEPT_WEIGHT = 1.0;
const BIGRAM_FACTOR = 0.7;

function unigramWeight(token: string): number {
  if (STOP_WORDS.has(token)) return STOP_WEIGHT;
  if (token.length === 1) return 0.2;
  if (NUMBER.test(token)) return 0.4;
  return Math.min(1.5, 0.5 + 0.1 * token.length);
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Order matters ("rate cut" ≠ "cut rate"): only the first hash is multiplied. */
function bigramHash(first: number, second: number): number {
  return (Math.imul(first, 0x9e3779b1) ^ second ^ 0x5bd1e995) >>> 0;
}

/** Feature hash → count and weight, in first-seen order (so the sums are always in one order). */
class FeatureCounts {
  readonly counts = new Map<number, number>();
  readonly weights = new Map<number, number>();

  add(hash: number, weight: number): void {
    const count = this.counts.get(hash);
    if (count === undefined) {
      this.counts.set(hash, 1);
      this.weights.set(hash, weight);
    } else this.counts.set(hash, count + 1);
  }
}

export class OfflineEmbedder implements Embedder {
  readonly name = OFFLINE_EMBEDDER_NAME;
  readonly dimension: number;
  readonly id: string;
  readonly #maxChars: number;

  constructor(options: OfflineEmbedderOptions = {}) {
    const dimension = options.dimension ?? OFFLINE_DEFAULT_DIMENSION;
    if (!Number.isInteger(dimension) || dimension < 2 || dimension > 65_536) {
      throw new RangeError(`offline embedder: dimension must be an integer from 2 to 65536`);
    }
    this.dimension = dimension;
    this.id = embedderId(this.name, dimension);
    this.#maxChars = options.maxChars ?? OFFLINE_MAX_CHARS;
  }

  embed(texts: string[], signal?: AbortSignal): Promise<EmbedResult> {
    try {
      signal?.throwIfAborted();
      const prepared = prepareTexts(this.id, texts);
      const vectors: Float32Array[] = [];
      let tokens = 0;
      for (let i = 0; i < prepared.length; i++) {
        if (i % 256 === 255) signal?.throwIfAborted();
        const { vector, tokenCount } = this.#embedOne(prepared[i]);
        vectors.push(vector);
        tokens += tokenCount;
      }
      return Promise.resolve({ vectors, tokens });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #embedOne(input: string): { vector: Float32Array; tokenCount: number } {
    const text = input.length > this.#maxChars
      ? input.slice(0, this.#maxChars).toWellFormed()
      : input;
    let tokens = tokenize(text);
    if (tokens.length === 0) tokens = [...text.toLowerCase()].filter((char) => char.trim() !== "");
    const features = new FeatureCounts();
    let previousHash = 0;
    let previousWeight = 0;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const cashtag = token.charCodeAt(0) === 0x24; /* $ */
      const stop = STOP_WORDS.has(token);
      const unigram = cashtag || stop ? token : stem(token);
      const hash = fnv1a(unigram);
      const weight = cashtag ? CASHTAG_WEIGHT : stop ? STOP_WEIGHT : unigramWeight(unigram);
      features.add(hash, weight);
      if (cashtag) {
        const symbol = token.slice(1);
        features.add(fnv1a(symbol), unigramWeight(symbol));
      }
      const concept = CONCEPTS.get(token);
      if (concept !== undefined) features.add(concept, CONCEPT_WEIGHT);
      if (i > 0) {
        features.add(
          bigramHash(previousHash, hash),
          BIGRAM_FACTOR * Math.sqrt(previousWeight * weight),
        );
      }
      previousHash = hash;
      previousWeight = weight;
    }

    const sums = new Float64Array(this.dimension);
    for (const [hash, count] of features.counts) {
      const mixed = fmix32(hash);
      const bucket = (mixed & 0x7fffffff) % this.dimension;
      const value = (features.weights.get(hash) ?? 0) * (1 + Math.log(count));
      sums[bucket] += mixed >>> 31 ? -value : value;
    }
    let norm = 0;
    for (let i = 0; i < sums.length; i++) norm += sums[i] * sums[i];
    norm = Math.sqrt(norm);
    const vector = new Float32Array(this.dimension);
    if (norm === 0) {
      vector[(fmix32(fnv1a(text)) & 0x7fffffff) % this.dimension] = 1;
    } else {
      for (let i = 0; i < sums.length; i++) vector[i] = sums[i] / norm;
    }
    return { vector, tokenCount: tokens.length };
  }
}
