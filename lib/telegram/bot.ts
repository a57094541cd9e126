// The grammY bot: one update at a time through an error guard, the chat's record, the commands
// and the fallbacks. Built with the bot's identity fetched once at start-up (runtime.ts), so
// handling an update never waits for getMe.
import { Bot, type Context, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { deactivateChat, recordChat } from "../alerts/subscriptions.ts";
import { type BotApp, seenChat, send } from "./chat.ts";
import { accountCommands } from "./commands/account.ts";
import { fallbacks, helpCommands } from "./commands/help.ts";
import { marketCommands } from "./commands/market.ts";
import { ruleCommands } from "./commands/rules.ts";
import { SORRY } from "./replies.ts";
import { updateProblem } from "./update_shape.ts";

/** The updates the bot asks Telegram for (getUpdates and setWebhook alike). */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** Longest 429 `retry_after` a reply waits out; beyond it the person is better served by an error. */
const MAX_REPLY_WAIT_SECONDS = 3;

/**
 * Answers are sent as the person asks, so a burst in one chat can pass Telegram's ~1 message per
 * second: a 429 with a short `retry_after` is waited out once, as Telegram asks, then retried.
 */
const waitOutShortRateLimits: Transformer = async (call, method, payload, signal) => {
  const result = await call(method, payload, signal);
  const wait = result.ok ? undefined : result.parameters?.retry_after;
  if (wait === undefined || wait > MAX_REPLY_WAIT_SECONDS) return result;
  await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  return await call(method, payload, signal);
};

export interface BotOptions {
  token: string;
  apiRoot: string;
  botInfo: UserFromGetMe;
}

export function createBot(app: BotApp, options: BotOptions): Bot {
  const bot = new Bot(options.token, {
    botInfo: options.botInfo,
    client: { apiRoot: options.apiRoot },
  });
  bot.api.config.use(waitOutShortRateLimits);
  const { sql } = app.db;

  // A handler that fails (the database is down, Telegram refused a reply) costs that update only:
  // logged, and the person is told, where the chat can still be reached.
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      app.log.error("telegram update failed", {
        updateId: ctx.update.update_id,
        chatId: ctx.chat?.id,
        error,
      });
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({ text: "Something went wrong." }).catch(() => {});
      } else if (ctx.message) await send(ctx, SORRY).catch(() => {});
    }
  });

  bot.use(async (ctx, next) => {
    const problem = updateProblem(ctx.update);
    if (problem) {
      app.log.info("telegram update skipped", { updateId: ctx.update.update_id, problem });
    } else await next();
  });

  // Blocked by its user, or removed from a group: no alerts until it talks to the bot again.
  bot.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === "kicked" || status === "left") await deactivateChat(sql, ctx.chat.id, "blocked");
    else {
      const chat = seenChat(ctx);
      if (chat) await recordChat(sql, chat);
    }
  });

  bot.on(["message", "callback_query"], async (ctx: Context, next) => {
    const chat = seenChat(ctx);
    if (chat) await recordChat(sql, chat);
    await next();
  });

  bot.use(helpCommands(app), accountCommands(app), ruleCommands(app), marketCommands(app));
  bot.use(fallbacks());
  return bot;
}
