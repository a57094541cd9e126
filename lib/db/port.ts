import type { Sql } from "postgres";

/**
 * The SQL database port: both adapters hand out a postgres.js client, so there is one query path.
 *
 * Values as both adapters return them (configured in lib/db/client.ts):
 * - bigint (identity ids, count(*), bigint[]) → JS number; a value beyond 2^53 throws a
 *   RangeError rather than losing digits. Pass ids back as numbers.
 * - double precision → number (prices, returns, scores); numeric → string (postgres.js default).
 * - timestamptz → Date; sessions run with TimeZone=UTC, so `::date` and date_trunc are UTC.
 * - date → "YYYY-MM-DD" string (trading days are calendar days, not instants).
 * - jsonb → parsed value; write it with `sql.json(value)`.
 *
 * The embedded adapter has ONE backend behind a one-connection pool: inside `sql.begin(tx => …)`
 * use only `tx`; awaiting `sql` there waits for the transaction's own connection forever.
 */
export interface Database {
  /** "postgres" for DATABASE_URL, "embedded" for PGlite under the data directory. */
  readonly kind: "postgres" | "embedded";
  readonly sql: Sql;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Ends the connections (and for embedded, the socket server, PGlite and its lock); idempotent. */
  close(): Promise<void>;
}
