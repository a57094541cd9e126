// POST /telegram/webhook: Telegram's calls in webhook mode. The secret token Telegram was given at
// setWebhook is checked first, in constant time (401 without it, before the body is read); then
// the body, within a small limit, must be JSON with an update_id (else 400); an update whose
// parts are malformed is skipped by the bot (200, so Telegram does not send it again).
import type { Bot } from "grammy";
import type { Context } from "hono";
import { csrfMatches } from "../auth/csrf.ts";
import type { AppEnv } from "../http/env.ts";
import { errorBody, HttpError } from "../http/errors.ts";
import { readJson } from "../http/json_body.ts";
import type { Logger } from "../log.ts";
import { isUpdateEnvelope } from "./update_shape.ts";

export const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
/** An update is a few kilobytes: a message holds at most 4096 characters. */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

export interface WebhookTarget {
  secret: string;
  /** The bot, once it is connected; null while connecting (Telegram then retries). */
  bot(): Bot | null;
  log: Logger;
}

export async function handleWebhook(c: Context<AppEnv>, target: WebhookTarget): Promise<Response> {
  // csrfMatches is the app's constant-time comparison of two non-empty secrets.
  if (!csrfMatches(c.req.header(SECRET_HEADER), target.secret)) {
    return c.json(errorBody("unauthorized", "Wrong or missing secret token"), 401);
  }
  const bot = target.bot();
  if (!bot) {
    return c.json(errorBody("unavailable", "The bot is not connected"), 503, {
      "Retry-After": "5",
    });
  }
  c.set("bodyLimitBytes", WEBHOOK_BODY_LIMIT_BYTES);
  const update = await readJson(c);
  if (!isUpdateEnvelope(update)) {
    throw new HttpError(400, "invalid_update", "Expected a Telegram update with an update_id");
  }
  try {
    await bot.handleUpdate(update);
  } catch (error) {
    // The bot's guard already answered the person; a redelivery would fail the same way.
    target.log.error("telegram update failed", { updateId: update.update_id, error });
  }
  return c.body(null, 200);
}
