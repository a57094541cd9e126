// Feed descriptions are HTML of every quality (escaped, CDATA, unclosed tags, tracking pixels):
// a real HTML tokenizer (htmlparser2) turns them into one line of readable text.
import { Parser } from "htmlparser2";

/** Elements whose content is never readable text. */
const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "iframe",
  "object",
  "svg",
  "math",
  "select",
  "textarea",
]);

/** Elements that separate words: "<p>a</p><p>b</p>" reads "a b", not "ab". */
const BREAKS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "td",
  "th",
  "tr",
  "ul",
]);

/** Invisible characters that would otherwise split or glue words in matching and hashing. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** WordPress appends "The post X appeared first on Y." to every excerpt: not part of the story. */
const WORDPRESS_FOOTER = /\s*The post .{1,300}? appeared first on .{1,200}?\.?$/;

/** HTML (fragment or page) → plain text: tags stripped, scripts and styles dropped, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  let skipDepth = 0;
  const parser = new Parser({
    onopentag(name) {
      if (SKIPPED.has(name)) skipDepth++;
      else if (BREAKS.has(name)) parts.push(" ");
    },
    onclosetag(name) {
      if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
      else if (BREAKS.has(name)) parts.push(" ");
    },
    ontext(text) {
      if (skipDepth === 0) parts.push(text);
    },
  }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return collapseWhitespace(parts.join("")).replace(WORDPRESS_FOOTER, "").replace(
    /\s*\[(?:…|\.\.\.)\]$/,
    "…",
  );
}

/** Runs of whitespace (including no-break spaces and newlines) → one space; invisible characters removed. */
export function collapseWhitespace(text: string): string {
  return text.replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
}

/**
 * Caps `text` at `maxChars` characters (ellipsis included), cutting at a word boundary when one
 * lies in the last half, so a summary never ends mid-word or with dangling punctuation.
 */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars < 2) return "…".slice(0, maxChars);
  let cut = text.slice(0, maxChars - 1);
  const midWord = /[\p{L}\p{N}]$/u.test(cut) && /^[\p{L}\p{N}]/u.test(text.slice(cut.length));
  const space = cut.lastIndexOf(" ");
  if (midWord && space >= maxChars / 2) cut = cut.slice(0, space);
  // Never split a surrogate pair (emoji, rare CJK) in half.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s,;:.\-–—(]+$/, "")}…`;
}
