// Stores test news through the real store (linked to already stored stocks by symbol).
import type { Sql } from "postgres";
import { upsertNews } from "../../lib/news/store.ts";

export interface TestNewsSpec {
  title: string;
  summary?: string | null;
  /** null: no date from the source, so published_at is estimated (the fetch time). */
  publishedAt: Date | null;
  fetchedAt?: Date;
  /** Linked stocks, best match first. */
  symbols?: string[];
}

/** Stores `specs` (each under a unique URL and content hash) and returns their ids in order. */
export async function addTestNews(
  sql: Sql,
  specs: TestNewsSpec[],
  defaultFetchedAt: Date,
): Promise<number[]> {
  const stocks = await sql<{ id: number; symbol: string }[]>`select id, symbol from stock`;
  const stockId = new Map(stocks.map((row) => [row.symbol, row.id]));
  const { ids } = await upsertNews(
    sql,
    specs.map((spec) => {
      const key = crypto.randomUUID();
      return {
        entry: {
          url: `https://news.example/${key}`,
          title: spec.title,
          summary: spec.summary ?? null,
          publishedAt: spec.publishedAt,
          source: "example",
          language: null,
          symbols: [],
        },
        fetchedAt: spec.fetchedAt ?? defaultFetchedAt,
        rawRef: null,
        contentHash: key,
        matches: (spec.symbols ?? []).map((symbol, rank) => ({
          stockId: stockId.get(symbol)!,
          score: 0.9 - rank * 0.3,
          matchedOn: symbol,
        })),
      };
    }),
  );
  return ids;
}
