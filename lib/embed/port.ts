// The embedder port: texts in, one vector per text out. Adapters: the OpenAI-compatible API
// (openai.ts) and the deterministic offline embedder (offline.ts); open.ts picks one from config.
//
// Input policy, the same for every adapter:
// - Lone surrogates (possible in a JS string, e.g. a cut emoji) are replaced by U+FFFD.
// - Text that is empty, or only whitespace and invisible characters, cannot be embedded: there is
//   nothing to mean, and a zero vector would poison cosine search. `embed()` checks the whole batch
//   before doing any work and throws one `EmbedInputError` listing every such item (its position
//   and the reason), so a caller can drop exactly those items and embed the rest. Callers that
//   prefer not to catch use `embedProblems()` first: it applies the same test.
// - Over-long text is cut (at a code point boundary) to what the adapter accepts; never an error.
// - The result is all or nothing: `vectors[i]` belongs to `texts[i]`, and no item is ever dropped.

export interface EmbedResult {
  /** One vector per input text, in input order, each of length `dimension`. */
  vectors: Float32Array[];
  /** Tokens used (billed tokens for an API; word tokens for the offline embedder). */
  tokens: number;
}

export interface Embedder {
  /** What computes the vectors, e.g. "offline:hashed-tfidf-v1" or "openai:text-embedding-3-small". */
  readonly name: string;
  readonly dimension: number;
  /** `${name}:${dimension}`: identifies the vector index; a change forces a re-embed. */
  readonly id: string;
  /** Throws `EmbedInputError` (no work done) when an input cannot be embedded. */
  embed(texts: string[], signal?: AbortSignal): Promise<EmbedResult>;
}

/** The id of the vector index an embedder fills: `${name}:${dimension}`. */
export function embedderId(name: string, dimension: number): string {
  return `${name}:${dimension}`;
}

/** One input that cannot be embedded: its position in the batch and why. */
export interface EmbedProblem {
  index: number;
  reason: string;
}

/** Inputs that cannot be embedded; `problems` lists every one of them (positions in the batch). */
export class EmbedInputError extends Error {
  constructor(readonly embedderId: string, readonly problems: EmbedProblem[], total: number) {
    const shown = problems.slice(0, 5).map((problem) => `#${problem.index}: ${problem.reason}`);
    const more = problems.length > shown.length
      ? `, and ${problems.length - shown.length} more`
      : "";
    super(
      `${embedderId}: ${problems.length} of ${total} text${total === 1 ? "" : "s"} cannot be ` +
        `embedded (${shown.join("; ")}${more})`,
    );
    this.name = "EmbedInputError";
  }
}

/** Whitespace plus the invisible format characters that carry no meaning on their own. */
const BLANK = /^[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]*$/u;

/** Why `text` cannot be embedded, or null when it can. */
export function embedProblem(text: string): string | null {
  if (typeof text !== "string") return `not a string (${typeof text})`;
  if (text.length === 0) return "empty text";
  if (BLANK.test(text)) return "only whitespace or invisible characters";
  return null;
}

/** Every input of `texts` that `embed()` would refuse. Empty when the batch is fine. */
export function embedProblems(texts: readonly string[]): EmbedProblem[] {
  const problems: EmbedProblem[] = [];
  texts.forEach((text, index) => {
    const reason = embedProblem(text);
    if (reason !== null) problems.push({ index, reason });
  });
  return problems;
}

/**
 * The texts as adapters embed them: well-formed (lone surrogates → U+FFFD) and checked. Throws
 * `EmbedInputError` listing every bad item.
 */
export function prepareTexts(id: string, texts: readonly string[]): string[] {
  if (!Array.isArray(texts)) throw new TypeError(`${id}: embed() expects an array of texts`);
  const problems = embedProblems(texts);
  if (problems.length > 0) throw new EmbedInputError(id, problems, texts.length);
  return texts.map((text) => text.toWellFormed());
}

/** UTF-8 length of `text` (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The longest prefix of `text` whose UTF-8 form fits in `maxBytes`; never splits a code point. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text; // fast path: even 3 bytes per unit fits
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let size = code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    let units = 1;
    if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      size = 4;
      units = 2;
    }
    if (bytes + size > maxBytes) return text.slice(0, i);
    bytes += size;
    i += units - 1;
  }
  return text;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
