// `news.content_hash` is unique: the same story under two URLs (syndication, feed mirrors, AMP
// pages) is stored once. The hash covers what a reader sees, normalised so that typography and
// markup differences between publishers don't make two copies look different.

/** Below this many characters a summary doesn't tell stories apart (or there is none). */
const SHORT_SUMMARY = 80;

/**
 * Text → comparison form: Unicode NFKC, lower case, a trailing ellipsis dropped, thousands
 * separators dropped ("1,000" = "1000"), decimal points kept ("1.5%" ≠ "15%"), every other
 * punctuation mark or symbol (quotes straight or curly, dashes, tags' leftovers) a space except
 * "$" and "%", whitespace collapsed.
 */
export function normaliseForHash(text: string): string {
  const tokens = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(?:…|\.\.\.)\s*$/u, "")
    .replace(/(\p{N}),(?=\p{N}{3}(?!\p{N}))/gu, "$1")
    // Words: letters, digits, "$" and "%", and a point only between two digits.
    .match(/(?:[\p{L}\p{M}\p{N}$%]|(?<=\p{N})\.(?=\p{N}))+/gu);
  return tokens ? tokens.join(" ") : "";
}

/** The exact text that is hashed (exported for tests and for explaining a duplicate). */
export function hashInput(
  title: string,
  summary: string | null,
  publishedAt?: Date | null,
): string {
  const normalisedSummary = summary ? normaliseForHash(summary) : "";
  const parts = [normaliseForHash(title), normalisedSummary];
  // A recurring title ("Stock Market Today", "AAPL Quantitative Stock Analysis") with no telling
  // summary is a new story each day, not a duplicate: add the UTC publication day.
  if (normalisedSummary.length < SHORT_SUMMARY && publishedAt) {
    parts.push(publishedAt.toISOString().slice(0, 10));
  }
  return parts.join("\n");
}

/** SHA-256 (hex) of the normalised title and summary: equal for the same story under two URLs. */
export async function contentHash(
  title: string,
  summary: string | null,
  publishedAt?: Date | null,
): Promise<string> {
  const bytes = new TextEncoder().encode(hashInput(title, summary, publishedAt));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
