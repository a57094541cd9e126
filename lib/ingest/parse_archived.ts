// Parsing an archived payload: a payload that can't be parsed at all is marked rejected in the
// archive (with the parser's message) and the error rethrown.
import type { Sql } from "postgres";
import { markParsed } from "../archive/store.ts";

/** `parse()`'s result; when it throws, raw payload `archivedId` is marked rejected first. */
export async function parseOrReject<T>(sql: Sql, archivedId: number, parse: () => T): Promise<T> {
  try {
    return parse();
  } catch (error) {
    await markParsed(
      sql,
      archivedId,
      "rejected",
      error instanceof Error ? error.message : String(error),
    );
    throw error;
  }
}
