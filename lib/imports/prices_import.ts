// `deno task import prices`: a daily-bar CSV file → price_bar, batch by batch.
import type { Sql } from "postgres";
import { type UpsertCounts, upsertPriceRows } from "../market/store.ts";
import { barClosedAt } from "../market/trading_time.ts";
import type { Stock } from "../stocks/stock.ts";
import { ensureStocks, listStocks } from "../stocks/store.ts";
import { defaultSource, type ImportOptions, type Numbered, runBatches } from "./batches.ts";
import { parsePriceRow, priceColumns, type PriceRow } from "./prices_csv.ts";

export interface PriceImportResult extends UpsertCounts {
  /** Data rows read. */
  rows: number;
  rejected: number;
  /** Symbols met in the file that were not stocks yet: created inactive. */
  createdStocks: string[];
  stopped: boolean;
}

/**
 * Imports a prices CSV. Unknown symbols become inactive stocks (exchange UNKNOWN) so their
 * history is kept without the jobs crawling or predicting them until an admin activates them.
 * Re-importing the same file changes nothing (all rows `unchanged`).
 */
export async function importPrices(
  sql: Sql,
  stream: ReadableStream<Uint8Array>,
  options: ImportOptions,
): Promise<PriceImportResult> {
  const now = options.now ?? new Date();
  const source = options.source ?? defaultSource(options.fileName);
  const onReject = options.onReject ?? (() => {});
  const stocks = new Map((await listStocks(sql)).map((stock) => [stock.symbol, stock]));
  const result: PriceImportResult = {
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    createdStocks: [],
    stopped: false,
  };
  // Bars dated from yesterday (UTC) on may still be open; older ones closed long ago.
  const recent = new Date(now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);

  const store = async (batch: Numbered<PriceRow>[]) => {
    const unknown = [...new Set(batch.map(({ row }) => row.symbol))]
      .filter((symbol) => !stocks.has(symbol));
    if (unknown.length) {
      for (const [symbol, stock] of await ensureStocks(sql, unknown)) stocks.set(symbol, stock);
      result.createdStocks.push(...unknown);
    }
    const rows = new Map<string, Numbered<{ stock: Stock; bar: PriceRow["bar"] }>>();
    for (const { line, row } of batch) {
      const stock = stocks.get(row.symbol)!;
      if (row.bar.date >= recent && barClosedAt(row.bar.date, stock.assetClass) > now) {
        // A bar of a session still open would pose as its close (DESIGN.md §5).
        result.rejected++;
        onReject({ at: line, reason: `${row.bar.date} had not closed at import time` });
        continue;
      }
      const key = `${row.symbol} ${row.bar.date}`;
      const earlier = rows.get(key);
      if (earlier) {
        result.rejected++;
        onReject({ at: earlier.line, reason: `${key} repeated: line ${line} replaces it` });
      }
      rows.set(key, { line, row: { stock, bar: row.bar } });
    }
    const counts = await upsertPriceRows(sql, [...rows.values()].map(({ row }) => row), source);
    result.inserted += counts.inserted;
    result.updated += counts.updated;
    result.unchanged += counts.unchanged;
  };

  const loop = await runBatches(stream, {
    header: (fields) => priceColumns(fields, options.fileName),
    parse: parsePriceRow,
    store,
    batchSize: options.batchSize ?? 1_000,
    signal: options.signal,
    onReject,
    onProgress: options.onProgress,
  });
  result.rows = loop.rows;
  result.rejected += loop.rejected;
  result.stopped = loop.stopped;
  return result;
}
