import { BackgroundWork } from "./jobs/background.ts";
import { openAlertSender } from "./alerts/sender.ts";
import { deriveAuthKeys } from "./auth/keys.ts";
import { loadAuthSecret } from "./auth/secret_file.ts";
import { openCache } from "./cache/open.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { DatabaseStartError } from "./db/errors.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { createEmbedder } from "./embed/open.ts";
import { Notifier } from "./live/notifier.ts";
import type { Logger } from "./log.ts";
import { DEFAULT_MODELS } from "./models/defaults.ts";
import { seedModels } from "./models/store.ts";
import { seedDefaultUniverse } from "./stocks/universe.ts";
import { openVectorStore } from "./vectors/open.ts";
import { VectorStoreStartError } from "./vectors/port.ts";

export interface RunningContext extends AppContext {
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Namespace of every Redis key (default "craveny:"): tests sharing one Redis pass their own. */
  redisPrefix?: string;
}

/** Opens the configured adapters and brings the schema up to date; used by start-up and tasks. */
export async function openAppContext(
  config: Config,
  log: Logger,
  options: OpenOptions = {},
): Promise<RunningContext> {
  const opened: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const resource of opened.reverse()) await resource.close();
  };
  try {
    const db = await openDatabase(config, log).catch((error) => {
      throw config.databaseUrl && error instanceof DatabaseStartError
        ? new DatabaseStartError(`DATABASE_URL: ${error.message}`, { cause: error })
        : error;
    });
    opened.push(db);
    const { applied } = await migrate(db, log);
    for (const name of applied) log.info("migration applied", { migration: name });
    if (await seedDefaultUniverse(db.sql)) log.info("default stock universe created");
    if (await seedModels(db.sql, [...DEFAULT_MODELS])) log.info("default models created");
    const cache = await openCache(config, log, { prefix: options.redisPrefix });
    opened.push(cache);
    // No fallback to the embedded index: its vectors would stay in this process, while the
    // news marked embedded in the shared Postgres would be missing from Milvus for good.
    const vectors = await openVectorStore(config, log).catch((error) => {
      throw config.milvusAddress && error instanceof VectorStoreStartError
        ? new VectorStoreStartError(`MILVUS_ADDRESS: ${error.message}`, { cause: error })
        : error;
    });
    opened.push(vectors);
    const embedder = createEmbedder(config, log);
    const newPredictions = new Notifier();
    // First on close: open prediction streams end before the stores they read from.
    opened.push({ close: () => Promise.resolve(newPredictions.close()) });
    const authKeys = deriveAuthKeys(await loadAuthSecret(config, log));
    const alertSender = openAlertSender(config, log);
    return {
      config,
      db,
      cache,
      vectors,
      embedder,
      log,
      newPredictions,
      authKeys,
      alertSender,
      background: new BackgroundWork(),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
