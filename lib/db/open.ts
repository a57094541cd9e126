// Chooses the SQL adapter from configuration: DATABASE_URL → Postgres, otherwise embedded PGlite.
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { openEmbedded } from "./embedded.ts";
import type { Database } from "./port.ts";
import { openPostgres } from "./postgres.ts";

/** Opens the configured database; throws `DatabaseStartError` with one operator-readable line. */
export function openDatabase(config: Config, log: Logger): Promise<Database> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, log)
    : openEmbedded(config.dataDir, log);
}
