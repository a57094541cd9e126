// The only module that writes SQL for `raw_payload`, the index of the raw archive's files.
import type { Sql } from "postgres";

export type PayloadKind = "prices" | "news";
export type ParseStatus = "pending" | "parsed" | "rejected";

export interface NewRawPayload {
  sha256: string;
  source: string;
  kind: PayloadKind;
  url: string;
  stockId: number | null;
  contentType: string | null;
  bytes: number;
  fetchedAt: Date;
}

export interface RawPayloadRow extends NewRawPayload {
  id: number;
  parseStatus: ParseStatus;
  parseError: string | null;
  parsedAt: Date | null;
}

/**
 * Records a payload; identical bytes from the same source and URL are recorded once. `isNew` is
 * false when that row already existed (its id is returned).
 */
export async function insertRawPayload(
  sql: Sql,
  payload: NewRawPayload,
): Promise<{ id: number; isNew: boolean }> {
  const inserted = await sql<{ id: number }[]>`
    insert into raw_payload
      (sha256, source, kind, url, stock_id, content_type, bytes, fetched_at)
    values (${payload.sha256}, ${payload.source}, ${payload.kind}, ${payload.url},
      ${payload.stockId}, ${payload.contentType}, ${payload.bytes}, ${payload.fetchedAt})
    on conflict (source, url, sha256) do nothing
    returning id`;
  if (inserted.length) return { id: inserted[0].id, isNew: true };
  // `do nothing` returns no row for the conflict; it waited for a concurrent insert to commit,
  // so the row is visible now.
  const [existing] = await sql<{ id: number }[]>`
    select id from raw_payload
    where source = ${payload.source} and url = ${payload.url} and sha256 = ${payload.sha256}`;
  if (!existing) throw new Error(`raw_payload ${payload.sha256} vanished during insert`);
  return { id: existing.id, isNew: false };
}

/** Records the outcome of (re-)parsing payload `id`; `error` is kept only for 'rejected'. */
export async function markParsed(
  sql: Sql,
  id: number,
  status: Exclude<ParseStatus, "pending">,
  error?: string,
): Promise<void> {
  await sql`
    update raw_payload
    set parse_status = ${status}, parse_error = ${status === "rejected" ? error ?? null : null},
      parsed_at = now()
    where id = ${id}`;
}

export interface ArchivedFilter {
  kind: PayloadKind;
  source?: string;
  /** Only payloads whose last parse ended so (e.g. 'rejected' after a parser fix). */
  status?: ParseStatus;
  /** Rows per query (default 500). */
  batchSize?: number;
}

interface DbRow {
  id: number;
  sha256: string;
  source: string;
  kind: PayloadKind;
  url: string;
  stock_id: number | null;
  content_type: string | null;
  bytes: number;
  fetched_at: Date;
  fetched_at_text: string;
  parse_status: ParseStatus;
  parse_error: string | null;
  parsed_at: Date | null;
}

/**
 * Archived payloads in fetch order (oldest first, so re-parsed data ends as the newest fetch left
 * it), for re-parsing. Pages by keyset rather than a server-side cursor: a cursor would hold the
 * embedded database's only connection, and the consumer's `markParsed` calls would wait forever.
 */
export async function* archivedPayloads(
  sql: Sql,
  filter: ArchivedFilter,
): AsyncGenerator<RawPayloadRow> {
  const batchSize = filter.batchSize ?? 500;
  // The position as Postgres text, and sent as text (a timestamptz parameter goes through a JS
  // Date): a Date drops microseconds, and the page's last row would come again.
  let after: { fetchedAt: string; id: number } | null = null;
  while (true) {
    const bySource = filter.source === undefined ? sql`` : sql`and source = ${filter.source}`;
    const byStatus = filter.status === undefined ? sql`` : sql`and parse_status = ${filter.status}`;
    const afterLast = after === null
      ? sql``
      : sql`and (fetched_at, id) > (${after.fetchedAt}::text::timestamptz, ${after.id})`;
    const rows: DbRow[] = await sql<DbRow[]>`
      select id, sha256, source, kind, url, stock_id, content_type, bytes, fetched_at,
        fetched_at::text as fetched_at_text, parse_status, parse_error, parsed_at
      from raw_payload
      where kind = ${filter.kind} ${bySource} ${byStatus} ${afterLast}
      order by fetched_at, id
      limit ${batchSize}`;
    for (const row of rows) yield toRow(row);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    after = { fetchedAt: last.fetched_at_text, id: last.id };
  }
}

function toRow(row: DbRow): RawPayloadRow {
  return {
    id: row.id,
    sha256: row.sha256,
    source: row.source,
    kind: row.kind,
    url: row.url,
    stockId: row.stock_id,
    contentType: row.content_type,
    bytes: row.bytes,
    fetchedAt: row.fetched_at,
    parseStatus: row.parse_status,
    parseError: row.parse_error,
    parsedAt: row.parsed_at,
  };
}
