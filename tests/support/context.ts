// An AppContext for tests: what is given is used (and not closed), the rest is opened fresh — a
// throwaway database, a memory cache, the embedded vector store in a temporary directory, the
// offline embedder, a logger that collects its lines and auth keys from a random secret.
import { BackgroundWork } from "../../lib/jobs/background.ts";
import { OUTBOX_ONLY } from "../../lib/alerts/sender.ts";
import { deriveAuthKeys } from "../../lib/auth/keys.ts";
import { MemoryCache } from "../../lib/cache/memory.ts";
import { loadConfig } from "../../lib/config.ts";
import type { AppContext } from "../../lib/context.ts";
import { OfflineEmbedder } from "../../lib/embed/offline.ts";
import { Notifier } from "../../lib/live/notifier.ts";
import { createLogger } from "../../lib/log.ts";
import { openTestDatabase } from "./database.ts";
import { openEmbeddedTestVectorStore } from "./vectors.ts";

export interface TestContext extends AppContext, AsyncDisposable {
  /** Every log line written through `log` (when the logger was not given), as JSON text. */
  logs: string[];
  /** Closes what this helper opened, in reverse order. */
  close(): Promise<void>;
}

export async function openTestContext(given: Partial<AppContext> = {}): Promise<TestContext> {
  const logs: string[] = [];
  const owned: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const resource of owned.splice(0).reverse()) await resource.close();
  };
  try {
    let db = given.db;
    if (!db) {
      const opened = await openTestDatabase();
      owned.push({ close: () => opened.dispose() });
      db = opened;
    }
    const cache = given.cache ?? new MemoryCache();
    if (!given.cache) owned.push(cache);
    let vectors = given.vectors;
    if (!vectors) {
      const opened = await openEmbeddedTestVectorStore();
      owned.push({ close: () => opened.dispose() });
      vectors = opened.store;
    }
    const newPredictions = given.newPredictions ?? new Notifier();
    if (!given.newPredictions) owned.push({ close: () => Promise.resolve(newPredictions.close()) });
    return {
      config: given.config ?? loadConfig({}),
      db,
      cache,
      vectors,
      embedder: given.embedder ?? new OfflineEmbedder(),
      log: given.log ?? createLogger("debug", (line) => logs.push(line)),
      newPredictions,
      authKeys: given.authKeys ?? deriveAuthKeys(crypto.getRandomValues(new Uint8Array(32))),
      alertSender: given.alertSender ?? OUTBOX_ONLY,
      background: given.background ?? new BackgroundWork(),
      logs,
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
