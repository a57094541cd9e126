// The notifier port (DESIGN §2): sends one alert message to one chat and says what became of it.
// Production adapter: Telegram's Bot API through grammY's `Api`. Embedded default (no
// TELEGRAM_BOT_TOKEN): nothing is ever sent; alerts wait in the outbox and the job logs them.
import { Api, GrammyError, HttpError } from "grammy";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";

export type SendOutcome =
  | { kind: "sent"; messageId: number }
  /**
   * 429. Telegram's answer does not say which limit was hit (overall, chat or group): the rate
   * limiter infers the scope (lib/alerts/rate_limiter.ts).
   */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** The chat can't receive: the bot was blocked or removed (403), or the chat is gone (400). */
  | { kind: "blocked"; reason: "blocked" | "not_found"; status: number; description: string }
  /** Not delivered. `transient`: the same call may succeed later (5xx, no connection). */
  | { kind: "failed"; transient: boolean; status: number | null; description: string }
  /**
   * No answer after the request may have reached Telegram (timeout, connection lost while
   * waiting): it may have been delivered, so it must not be sent again.
   */
  | { kind: "unknown"; description: string };

export interface AlertSender {
  /** false for the embedded default, which never sends (alerts wait in the outbox). */
  readonly delivers: boolean;
  /** Sends `html` (Telegram's HTML parse mode) to `chatId`; never throws. */
  send(chatId: number, html: string): Promise<SendOutcome>;
}

/** Per-call deadline of a sendMessage call. */
export const SEND_TIMEOUT_MS = 10_000;

/** The configured sender: Telegram when a bot token is set, else the outbox-only default. */
export function openAlertSender(config: Config, log: Logger): AlertSender {
  const { botToken, apiRoot } = config.telegram;
  if (!botToken) {
    log.info("alerts: no TELEGRAM_BOT_TOKEN, alerts are kept in the outbox and not sent");
    return OUTBOX_ONLY;
  }
  return new TelegramAlertSender(botToken, { apiRoot });
}

/** The embedded default: never sends. The alerts job checks `delivers` and leaves rows pending. */
export const OUTBOX_ONLY: AlertSender = {
  delivers: false,
  send: () =>
    Promise.resolve({
      kind: "failed",
      transient: true,
      status: null,
      description: "no TELEGRAM_BOT_TOKEN: alerts are not sent",
    }),
};

export interface TelegramSenderOptions {
  /** The Bot API server (config.telegram.apiRoot). */
  apiRoot: string;
  timeoutMs?: number;
}

export class TelegramAlertSender implements AlertSender {
  readonly delivers = true;
  readonly #api: Api;
  readonly #token: string;

  constructor(token: string, options: TelegramSenderOptions) {
    this.#token = token;
    this.#api = new Api(token, {
      apiRoot: options.apiRoot,
      timeoutSeconds: (options.timeoutMs ?? SEND_TIMEOUT_MS) / 1000,
      fetch: fetchTelegram,
    });
  }

  async send(chatId: number, html: string): Promise<SendOutcome> {
    try {
      const message = await this.#api.sendMessage(chatId, html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
      });
      return { kind: "sent", messageId: message.message_id };
    } catch (error) {
      return classify(error, this.#token);
    }
  }
}

/** A non-JSON error page: a proxy or load balancer in front of the Bot API answered. */
class GatewayError extends Error {
  constructor(readonly status: number, readonly statusText: string) {
    super(`${status} ${statusText}`.trim());
  }
}

/**
 * fetch for grammY: Telegram answers every error as JSON, so a non-JSON error page (502 from a
 * proxy) becomes a GatewayError that keeps its status, instead of a JSON parse error.
 */
async function fetchTelegram(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (response.ok || response.headers.get("content-type")?.includes("json")) return response;
  await response.body?.cancel();
  throw new GatewayError(response.status, response.statusText);
}

/** Maps grammY's errors to outcomes; descriptions never contain the token. */
export function classify(error: unknown, token: string): SendOutcome {
  const redact = (text: string) => text.replaceAll(token, "<token>");
  if (error instanceof GrammyError) {
    const { error_code: status, description } = error;
    if (status === 429) {
      return { kind: "rate_limited", retryAfterSeconds: error.parameters.retry_after ?? 1 };
    }
    if (status === 403) return { kind: "blocked", reason: "blocked", status, description };
    if (status === 400 && /chat not found/i.test(description)) {
      return { kind: "blocked", reason: "not_found", status, description };
    }
    return { kind: "failed", transient: status >= 500, status, description: redact(description) };
  }
  if (error instanceof HttpError) {
    const cause = error.error;
    if (cause instanceof GatewayError) {
      return { kind: "failed", transient: true, status: cause.status, description: cause.message };
    }
    const detail = redact(describe(cause));
    // Deno's fetch says "client error (Connect)" when no connection was made: nothing was sent.
    if (/\(Connect\)/.test(detail)) {
      return { kind: "failed", transient: true, status: null, description: detail };
    }
    return { kind: "unknown", description: detail };
  }
  return { kind: "unknown", description: redact(describe(error)) };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
