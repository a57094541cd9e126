// postgres.js settings shared by both adapters, so a row reads the same from Postgres and PGlite.
import type { Options, PostgresType } from "postgres";

/**
 * int8 (bigint ids, count(*)) → JS number. Identity ids and counts stay far below 2^53; a larger
 * value throws instead of silently losing digits (the connection stays usable).
 */
const int8: PostgresType<number> = {
  to: 20,
  from: [20],
  serialize: (value: number | bigint | string) => String(value),
  parse: (text: string) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`bigint ${text} is beyond JavaScript's safe integer range`);
    }
    return value;
  },
};

/**
 * date → "YYYY-MM-DD" string. Trading days are calendar days, not instants: a JS Date would put
 * them at UTC midnight and shift them when formatted in another time zone.
 */
const day: PostgresType<string> = {
  to: 1082,
  from: [1082],
  serialize: (value: string | Date) =>
    value instanceof Date ? value.toISOString().slice(0, 10) : value,
  parse: (text: string) => text,
};

// Typed as a plain record so `postgres()` returns the port's `Sql` (no custom `sql.typed` helpers).
const TYPES: Record<string, PostgresType> = { int8, day };

/** Options every client gets: our types, UTC sessions and no notice chatter on stdout. */
export function clientOptions(
  extra: Options<Record<string, PostgresType>>,
): Options<Record<string, PostgresType>> {
  return {
    ...extra,
    types: TYPES,
    // Sessions in UTC so date_trunc('day', …) and ::date casts agree on every host.
    connection: { application_name: "craveny", TimeZone: "UTC", ...extra.connection },
    // postgres.js prints NOTICEs (e.g. "relation already exists, skipping") by default.
    onnotice: () => {},
  };
}
