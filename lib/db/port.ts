import type { Sql } from "postgres";

/** The SQL database port: both adapters hand out a postgres.js client, so there is one query path. */
export interface Database {
  /** "postgres" for DATABASE_URL, "embedded" for PGlite under the data directory. */
  readonly kind: "postgres" | "embedded";
  readonly sql: Sql;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
