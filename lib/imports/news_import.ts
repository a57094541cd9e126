// `deno task import news`: a news CSV file → news and news_stock, batch by batch.
import type { Sql } from "postgres";
import { contentHash } from "../news/content_hash.ts";
import { compileMatcher, type MatchText, SCORES, type StockMatch } from "../news/match.ts";
import type { NewsEntry } from "../news/port.ts";
import { type NewsMatch, type NewsToStore, upsertNews } from "../news/store.ts";
import type { Stock } from "../stocks/stock.ts";
import { listStocks } from "../stocks/store.ts";
import { defaultSource, type ImportOptions, type Numbered, runBatches } from "./batches.ts";
import { newsColumns, type NewsRow, parseNewsRow, storySource, syntheticUrl } from "./news_csv.ts";

export interface NewsImportOptions extends ImportOptions {
  /** Also link stocks named in the text (lib/news/match.ts); default true. */
  textMatching?: boolean;
}

export interface NewsImportResult {
  /** Data rows read. */
  rows: number;
  inserted: number;
  /** Rows already stored (same URL or same story), in this file or before. */
  duplicates: number;
  /** news ↔ stock links added. */
  linked: number;
  rejected: number;
  /** Tagged symbols that are not stocks (not linked, not created), with how often each came. */
  unknownSymbols: Map<string, number>;
  stopped: boolean;
}

/** The file's tags (certain) plus, unless disabled, what matching finds in the text. */
function linkStocks(
  row: NewsRow,
  tagged: Stock[],
  match: ((text: MatchText, tagged?: string[]) => StockMatch[]) | null,
): NewsMatch[] {
  const matches: NewsMatch[] = match ? match(row, tagged.map((stock) => stock.symbol)) : [];
  const found = new Set(matches.map((found) => found.stockId));
  for (const stock of tagged) {
    if (!found.has(stock.id)) {
      matches.push({ stockId: stock.id, score: SCORES.tagged, matchedOn: "tagged" });
    }
  }
  return matches;
}

/**
 * Imports a news CSV. Stories link to the file's tagged symbols that are stocks and to the active
 * stocks matching finds in the title and summary. Unknown tagged symbols are counted, not
 * created: cashtag spam would fill the stock table with hundreds of tickers nobody follows.
 * Rows without a URL get a synthetic one (news_csv.ts). Re-importing the file inserts nothing.
 */
export async function importNews(
  sql: Sql,
  stream: ReadableStream<Uint8Array>,
  options: NewsImportOptions,
): Promise<NewsImportResult> {
  const now = options.now ?? new Date();
  const fallbackSource = options.source ?? defaultSource(options.fileName);
  const stocks = await listStocks(sql);
  const bySymbol = new Map(stocks.map((stock) => [stock.symbol, stock]));
  // Text matching only against active stocks: a stock an import created is named after its
  // ticker ("A"), which would match ordinary words. Tags link to any known stock.
  const match = options.textMatching === false
    ? null
    : compileMatcher(stocks.filter((stock) => stock.active));
  const result: NewsImportResult = {
    rows: 0,
    inserted: 0,
    duplicates: 0,
    linked: 0,
    rejected: 0,
    unknownSymbols: new Map(),
    stopped: false,
  };

  const prepare = async (row: NewsRow): Promise<NewsToStore> => {
    const tagged: Stock[] = [];
    for (const symbol of row.symbols) {
      const stock = bySymbol.get(symbol);
      if (stock) tagged.push(stock);
      else result.unknownSymbols.set(symbol, (result.unknownSymbols.get(symbol) ?? 0) + 1);
    }
    const entry: NewsEntry = {
      url: row.url ?? syntheticUrl(row),
      title: row.title,
      summary: row.summary,
      publishedAt: row.publishedAt,
      source: storySource(row, fallbackSource),
      language: null,
      symbols: row.symbols,
    };
    return {
      entry,
      fetchedAt: now,
      rawRef: null,
      contentHash: await contentHash(row.title, row.summary, row.publishedAt),
      matches: linkStocks(row, tagged, match),
    };
  };

  const store = async (batch: Numbered<NewsRow>[]) => {
    // One row at a time: a thousand concurrent WebCrypto digests are slower than a queue.
    const items: NewsToStore[] = [];
    for (const { row } of batch) items.push(await prepare(row));
    const counts = await upsertNews(sql, items);
    result.inserted += counts.inserted;
    result.duplicates += counts.duplicates;
    result.linked += counts.linked;
  };

  const loop = await runBatches(stream, {
    header: newsColumns,
    parse: (fields, columns) => parseNewsRow(fields, columns, now),
    store,
    batchSize: options.batchSize ?? 1_000,
    signal: options.signal,
    onReject: options.onReject ?? (() => {}),
    onProgress: options.onProgress,
  });
  result.rows = loop.rows;
  result.rejected = loop.rejected;
  result.stopped = loop.stopped;
  return result;
}
