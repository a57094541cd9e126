// The bot's life in one process. No token: off (alerts stay in the outbox). With a token: getMe
// once, in the background so start-up never waits on Telegram, then the command menu and either
// setWebhook (webhook mode: updates arrive at POST /telegram/webhook) or long polling (development).
// A token Telegram rejects leaves the bot off with one warning line; an unreachable Telegram is
// retried with backoff. /health reports the state; it never makes the app unhealthy.
import { Api, type Bot, GrammyError } from "grammy";
import type { Context } from "hono";
import type { HealthCheck } from "../health.ts";
import type { AppEnv } from "../http/env.ts";
import { NotFound } from "../http/errors.ts";
import { ALLOWED_UPDATES, createBot } from "./bot.ts";
import type { BotApp } from "./chat.ts";
import { BOT_COMMANDS } from "./commands/help.ts";
import { handleWebhook } from "./webhook.ts";

export type TelegramState =
  /** No TELEGRAM_BOT_TOKEN: alerts stay in the outbox. */
  | "off"
  /** Asking Telegram who the bot is, or retrying after Telegram could not be reached. */
  | "connecting"
  | "polling"
  | "webhook"
  /** Telegram answered 401/404 to the token: fix TELEGRAM_BOT_TOKEN and restart. */
  | "token_rejected"
  /** Telegram refused the set-up for a reason retrying won't fix (logged), or polling conflicts. */
  | "failed";

export interface TelegramRuntime {
  readonly state: TelegramState;
  /** The bot's @username once connected (for t.me links); null before. */
  readonly username: string | null;
  /** Resolves when the first connection attempt has ended, however it ended. */
  readonly ready: Promise<void>;
  healthCheck(): HealthCheck;
  /** Serves POST /telegram/webhook (404 unless in webhook mode). */
  webhook(c: Context<AppEnv>): Promise<Response>;
  /** Stops polling (confirming handled updates to Telegram) and any retrying; idempotent. */
  stop(): Promise<void>;
}

export interface TelegramOptions {
  /** First retry delay after Telegram could not be reached; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

const CALL_TIMEOUT_MS = 10_000;
/** How long stop() waits for the update being handled before the process moves on. */
const STOP_WAIT_MS = 5_000;

/** Telegram's answer to a token it does not know (401) or a malformed one (404). */
function isTokenRejection(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
}

/** Worth retrying: no answer, a server error or a rate limit. */
function isTransient(error: unknown): boolean {
  return !(error instanceof GrammyError) || error.error_code >= 500 || error.error_code === 429;
}

function reason(error: unknown): string {
  return error instanceof GrammyError
    ? `${error.error_code}: ${error.description}`
    : error instanceof Error
    ? error.message
    : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

export function startTelegram(app: BotApp, options: TelegramOptions = {}): TelegramRuntime {
  const { botToken, mode, webhookSecret, apiRoot } = app.config.telegram;
  const log = app.log.child({ component: "telegram" });
  const stopping = new AbortController();
  let state: TelegramState = botToken ? "connecting" : "off";
  let bot: Bot | null = null;
  let username: string | null = null;
  let polling: Promise<void> | null = null;

  const connect = async (token: string) => {
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]);
    const me = await new Api(token, { apiRoot }).getMe(signal);
    const connected = createBot(app, { token, apiRoot, botInfo: me });
    try {
      await connected.api.setMyCommands(BOT_COMMANDS, {}, signal);
    } catch (error) {
      if (isTokenRejection(error)) throw error;
      log.warn("telegram command menu not set", { reason: reason(error) });
    }
    if (mode === "webhook") {
      await connected.api.setWebhook(`${app.config.publicUrl}/telegram/webhook`, {
        secret_token: webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
      }, signal);
    }
    if (stopping.signal.aborted) return;
    bot = connected;
    username = me.username;
    if (mode === "webhook") {
      state = "webhook";
      log.info("telegram bot receiving updates by webhook", { username });
      return;
    }
    state = "polling";
    connected.catch((error) => log.error("telegram update failed", { error: error.error }));
    polling = connected.start({ allowed_updates: [...ALLOWED_UPDATES] }).catch((error) => {
      if (stopping.signal.aborted) return;
      state = isTokenRejection(error) ? "token_rejected" : "failed";
      log.warn("telegram polling stopped", {
        reason: reason(error),
        hint: error instanceof GrammyError && error.error_code === 409
          ? "another process polls this bot, or a webhook is set"
          : undefined,
      });
    });
    log.info("telegram bot polling for updates", { username });
  };

  /** Connects, retrying while Telegram can't be reached; `attempted` after the first try. */
  const run = async (token: string, attempted: () => void) => {
    let delay = options.retryMs ?? 1_000;
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        return await connect(token);
      } catch (error) {
        if (stopping.signal.aborted) return;
        if (isTokenRejection(error)) {
          state = "token_rejected";
          log.warn(
            "telegram rejected TELEGRAM_BOT_TOKEN: the bot is off until it is fixed " +
              "(the app keeps running; alerts stay in the outbox)",
            { reason: reason(error) },
          );
          return;
        }
        if (!isTransient(error)) {
          state = "failed";
          log.warn("telegram bot set-up refused", { reason: reason(error), mode });
          return;
        }
        // The first failure is worth a warning; the retries that follow only a debug line.
        const fields = { reason: reason(error), retryInMs: delay };
        if (attempt === 1) log.warn("telegram unreachable: retrying", fields);
        else log.debug("telegram unreachable: retrying", fields);
        attempted();
        await sleep(delay, stopping.signal);
        delay = Math.min(delay * 2, options.maxRetryMs ?? 300_000);
      }
    }
  };

  let ready = Promise.resolve();
  if (botToken) {
    ready = new Promise((resolve) => void run(botToken, resolve).finally(resolve));
  } else {
    log.info("telegram bot off: TELEGRAM_BOT_TOKEN is not set (alerts stay in the outbox)");
  }

  return {
    get state() {
      return state;
    },
    get username() {
      return username;
    },
    ready,
    healthCheck(): HealthCheck {
      const check = { name: "telegram", required: false, detail: state };
      switch (state) {
        case "off":
          return { ...check, kind: "outbox", status: "up" };
        case "polling":
        case "webhook":
          return { ...check, kind: "telegram", status: "up" };
        case "connecting":
          return { ...check, kind: "telegram", status: "configured" };
        case "token_rejected":
        case "failed":
          // Down, so /health reads "degraded" — never 503: the bot is not required.
          return { ...check, kind: "telegram", status: "down" };
      }
    },
    webhook(c) {
      if (mode !== "webhook" || !webhookSecret || state === "off") {
        throw new NotFound("The Telegram webhook is not enabled");
      }
      return handleWebhook(c, { secret: webhookSecret, bot: () => bot, log });
    },
    async stop() {
      if (stopping.signal.aborted) return;
      stopping.abort();
      if (!polling || !bot) return;
      try {
        await bot.stop();
      } catch (error) {
        log.debug("telegram polling stop: could not confirm the last updates", {
          reason: reason(error),
        });
      }
      const waited = new AbortController();
      await Promise.race([polling, sleep(STOP_WAIT_MS, waited.signal)]);
      waited.abort();
    },
  };
}
