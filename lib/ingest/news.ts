// News payloads through the pipeline: archive → parse → match stocks → dedupe → load.
import type { Sql } from "postgres";
import { type Archived, archivePayload } from "../archive/raw_archive.ts";
import { markParsed } from "../archive/store.ts";
import type { FetchedPayload, ParseResult, Rejection } from "../net/fetched.ts";
import { contentHash } from "../news/content_hash.ts";
import type { compileMatcher } from "../news/match.ts";
import type { NewsEntry } from "../news/port.ts";
import { type NewsToStore, upsertNews } from "../news/store.ts";
import type { Stock } from "../stocks/stock.ts";
import { parseOrReject } from "./parse_archived.ts";

export type Matcher = ReturnType<typeof compileMatcher>;

export interface LoadedNews {
  inserted: number;
  duplicates: number;
  linked: number;
  rejected: Rejection[];
}

export interface NewsLoadOptions {
  parse: (payload: FetchedPayload) => ParseResult<NewsEntry>;
  match: Matcher;
  /** The stock every entry is about (a per-ticker feed's), kept with the archived payload. */
  stock?: Stock;
}

/** Parses an archived news payload, matches and stores its entries in one transaction. */
export async function loadNews(
  sql: Sql,
  payload: FetchedPayload,
  archived: Pick<Archived, "id" | "ref">,
  options: NewsLoadOptions,
): Promise<LoadedNews> {
  const parsed = await parseOrReject(sql, archived.id, () => options.parse(payload));
  const items: NewsToStore[] = await Promise.all(parsed.rows.map(async (entry) => ({
    entry,
    fetchedAt: payload.fetchedAt,
    rawRef: archived.ref,
    contentHash: await contentHash(entry.title, entry.summary, entry.publishedAt),
    matches: options.match(
      { title: entry.title, summary: entry.summary },
      options.stock ? [...entry.symbols, options.stock.symbol] : entry.symbols,
    ),
  })));
  const result = await upsertNews(sql, items);
  await markParsed(sql, archived.id, "parsed");
  return {
    inserted: result.inserted,
    duplicates: result.duplicates,
    linked: result.linked,
    rejected: parsed.rejected,
  };
}

/** Archives a fetched news payload, then loads it. */
export async function ingestNews(
  sql: Sql,
  archiveDir: string,
  payload: FetchedPayload,
  options: NewsLoadOptions,
): Promise<LoadedNews> {
  const archived = await archivePayload(sql, archiveDir, payload, {
    kind: "news",
    stockId: options.stock?.id,
  });
  return loadNews(sql, payload, archived, options);
}
