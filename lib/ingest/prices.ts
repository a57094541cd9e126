// One price fetch, the ingestion pipeline for bars: retrieve → archive → parse → load.
import type { Sql } from "postgres";
import { type Archived, archivePayload } from "../archive/raw_archive.ts";
import { markParsed } from "../archive/store.ts";
import type { MarketSource, PriceRequest } from "../market/port.ts";
import { type UpsertCounts, upsertPriceBars } from "../market/store.ts";
import type { FetchedPayload, Rejection } from "../net/fetched.ts";
import type { Stock } from "../stocks/stock.ts";
import { parseOrReject } from "./parse_archived.ts";

export interface LoadedPrices extends UpsertCounts {
  rejected: Rejection[];
}

/**
 * Parses an archived payload and stores its bars in one transaction, then records the parse
 * outcome. A payload that can't be parsed at all is marked rejected and the error rethrown.
 */
export async function loadPrices(
  sql: Sql,
  source: MarketSource,
  stock: Stock,
  payload: FetchedPayload,
  archived: Pick<Archived, "id">,
): Promise<LoadedPrices> {
  const parsed = await parseOrReject(sql, archived.id, () => source.parse(payload, stock));
  const counts = await upsertPriceBars(sql, stock, parsed.rows, source.name);
  await markParsed(sql, archived.id, "parsed");
  return { ...counts, rejected: parsed.rejected };
}

/** Fetches `request` from `source`, archives the bytes before parsing, and loads them. */
export async function ingestPrices(
  sql: Sql,
  archiveDir: string,
  source: MarketSource,
  request: PriceRequest,
  signal?: AbortSignal,
): Promise<LoadedPrices> {
  const payload = await source.fetch(request, signal);
  const archived = await archivePayload(sql, archiveDir, payload, {
    kind: "prices",
    stockId: request.stock.id,
  });
  return loadPrices(sql, source, request.stock, payload, archived);
}
