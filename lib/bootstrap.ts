import { openCache } from "./cache/open.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import type { Logger } from "./log.ts";
import { seedDefaultUniverse } from "./stocks/universe.ts";

export interface RunningContext extends AppContext {
  close(): Promise<void>;
}

/** Opens the configured adapters and brings the schema up to date; used by start-up and tasks. */
export async function openAppContext(config: Config, log: Logger): Promise<RunningContext> {
  const db = await openDatabase(config, log);
  try {
    const { applied } = await migrate(db, log);
    for (const name of applied) log.info("migration applied", { migration: name });
    if (await seedDefaultUniverse(db.sql)) log.info("default stock universe created");
    const cache = await openCache(config, log);
    return {
      config,
      db,
      cache,
      log,
      async close() {
        await cache.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
