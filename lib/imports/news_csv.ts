// News CSV files: which column is which, and each row → a story or the reason it is refused.
// Pure apart from hashing: the importer (news_import.ts) reads the file and stores the stories.
import { createHash } from "node:crypto";
import { canonicalUrl } from "../news/canonical_url.ts";
import { normalizeSymbol } from "../stocks/symbol.ts";
import { alternatives, findColumn, HeaderError, shownHeader } from "./header.ts";
import { NEW_YORK, parseTimestamp } from "./timestamp.ts";

export const NEWS_COLUMNS = {
  published: ["published_at", "date", "created_at", "created_at_utc", "datetime", "timestamp"],
  time: ["time", "time_et", "time_utc"],
  zone: ["zone", "tz", "timezone"],
  title: ["title", "headline", "text"],
  summary: ["summary", "description"],
  url: ["url", "link"],
  symbols: ["symbol", "symbols", "ticker", "tickers", "cashtags"],
  source: ["source", "publisher"],
} as const;

/** Host of the synthetic URLs of rows without one (`.invalid` never resolves: RFC 2606). */
export const SYNTHETIC_URL_PREFIX = "https://import.craveny.invalid/";

/** Field indexes of a news file; optional columns are null (or empty) when absent. */
export interface NewsColumns {
  width: number;
  published: number;
  time: number | null;
  zone: number | null;
  title: number;
  summary: number | null;
  url: number | null;
  /** Every symbol column (a `ticker` and a `cashtags` column both count). */
  symbols: number[];
  source: number | null;
  /** Zone of times written without one: UTC when a column name ends in "utc", else New York. */
  defaultZone: string;
}

export interface NewsRow {
  publishedAt: Date;
  title: string;
  summary: string | null;
  /** Canonical URL, or null when the row has none. */
  url: string | null;
  /** Tagged symbols, normalised, without duplicates; tokens that are not tickers dropped. */
  symbols: string[];
  source: string | null;
}

/** Maps the header; throws a HeaderError naming what is missing and what was found. */
export function newsColumns(header: string[]): NewsColumns {
  const at = (names: readonly string[]) => findColumn(header, names);
  const published = at(NEWS_COLUMNS.published);
  const title = at(NEWS_COLUMNS.title);
  if (published === null || title === null) {
    const missing = [
      published === null ? "the date column" : null,
      title === null ? "the title column" : null,
    ].filter(Boolean);
    throw new HeaderError(
      `a news file needs a date column (${alternatives(NEWS_COLUMNS.published)}) and a title ` +
        `column (${alternatives(NEWS_COLUMNS.title)}); missing ${missing.join(" and ")}. ` +
        `Header found: ${shownHeader(header)}`,
    );
  }
  const time = at(NEWS_COLUMNS.time);
  const symbolNames = NEWS_COLUMNS.symbols.map((name) => at([name]));
  const named = (index: number | null, suffix: RegExp) =>
    index !== null && suffix.test(header[index].trim());
  return {
    width: header.length,
    published,
    time,
    zone: at(NEWS_COLUMNS.zone),
    title,
    summary: at(NEWS_COLUMNS.summary),
    url: at(NEWS_COLUMNS.url),
    symbols: [...new Set(symbolNames.filter((index) => index !== null))],
    source: at(NEWS_COLUMNS.source),
    defaultZone: named(published, /(^|[\s_-])utc$/i) || named(time, /(^|[\s_-])utc$/i)
      ? "UTC"
      : NEW_YORK,
  };
}

/** Whitespace (including line breaks inside quoted fields) collapsed to single spaces. */
function clean(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** "$AAPL $bbry", "AAPL,MSFT", "GOOG; FB" → normalised tickers; other tokens dropped. */
export function splitSymbols(text: string): string[] {
  const symbols = text.split(/[\s,;|]+/).map(normalizeSymbol);
  return [...new Set(symbols.filter((symbol) => symbol !== null))];
}

/** Stories published more than this after the import are refused as clock or data errors. */
const FUTURE_SLACK_MS = 24 * 3_600_000;

/** One row → a story, or the reason it cannot be stored. */
export function parseNewsRow(
  fields: string[],
  columns: NewsColumns,
  now: Date,
): { row: NewsRow } | { reason: string } {
  if (fields.length !== columns.width) {
    return { reason: `${fields.length} fields where the header has ${columns.width}` };
  }
  const optional = (index: number | null) => index === null ? "" : clean(fields[index]);
  const title = clean(fields[columns.title]);
  if (!title) return { reason: "title is empty" };
  const publishedAt = parseTimestamp({
    date: fields[columns.published],
    time: columns.time === null ? null : fields[columns.time],
    zone: columns.zone === null ? null : fields[columns.zone],
    defaultZone: columns.defaultZone,
  });
  if (typeof publishedAt === "string") return { reason: publishedAt };
  if (publishedAt.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    return { reason: `published ${publishedAt.toISOString()}, in the future` };
  }
  const rawUrl = optional(columns.url);
  const url = rawUrl ? canonicalUrl(rawUrl) : null;
  if (rawUrl && url === null) return { reason: `url ${JSON.stringify(rawUrl)} is not http(s)` };
  const symbols = [...new Set(columns.symbols.flatMap((index) => splitSymbols(fields[index])))];
  return {
    row: {
      publishedAt,
      title,
      summary: optional(columns.summary) || null,
      url,
      symbols,
      source: optional(columns.source) || null,
    },
  };
}

/**
 * The stable stand-in for a row without a URL (news.url is required and unique): derived from
 * the row's own title, summary and publication time, so importing the file again yields the
 * same URL, and two different rows never share one.
 */
export function syntheticUrl(row: Pick<NewsRow, "title" | "summary" | "publishedAt">): string {
  const key = `${row.title}\n${row.summary ?? ""}\n${row.publishedAt.toISOString()}`;
  // node:crypto hashes synchronously: WebCrypto's promise per row costs more than the hash.
  return SYNTHETIC_URL_PREFIX + createHash("sha256").update(key).digest("hex");
}

/** Publisher of a story: the row's source column, else its URL's host, else `fallback`. */
export function storySource(row: Pick<NewsRow, "source" | "url">, fallback: string): string {
  if (row.source) return row.source;
  if (row.url) return new URL(row.url).hostname.replace(/^www\./, "");
  return fallback;
}
