import type { AlertSender } from "./alerts/sender.ts";
import type { AuthKeys } from "./auth/keys.ts";
import type { Cache } from "./cache/port.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/port.ts";
import type { Embedder } from "./embed/port.ts";
import type { BackgroundWork } from "./jobs/background.ts";
import type { Notifier } from "./live/notifier.ts";
import type { Logger } from "./log.ts";
import type { TelegramRuntime } from "./telegram/runtime.ts";
import type { VectorStore } from "./vectors/port.ts";

/** The adapters main.ts builds from config and hands to routes, API handlers and jobs. */
export interface AppContext {
  config: Config;
  db: Database;
  cache: Cache;
  vectors: VectorStore;
  embedder: Embedder;
  log: Logger;
  /** Told after each live prediction is stored: open prediction streams look at once. */
  newPredictions: Notifier;
  /** Signing keys of access and CSRF tokens (lib/auth/keys.ts). */
  authKeys: AuthKeys;
  /** Scheduled and admin-started job runs: stopped and awaited together at shutdown. */
  background: BackgroundWork;
  /** Delivers alert messages: Telegram, or nothing without a bot token (lib/alerts/sender.ts). */
  alertSender: AlertSender;
  /**
   * The Telegram bot (lib/telegram/runtime.ts): its webhook route, state for /health and
   * @username for t.me links. Absent in tasks and jobs, which run no bot.
   */
  telegram?: TelegramRuntime;
}
