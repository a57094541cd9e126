// /help, the command menu, and what the bot says to anything it does not understand.
import { Composer, type Context } from "grammy";
import type { BotCommand } from "grammy/types";
import { type BotApp, send } from "../chat.ts";
import { helpText, subscribeHelpText, unknownCommandText } from "../replies.ts";

/** The menu Telegram shows next to the message field (setMyCommands at start-up). */
export const BOT_COMMANDS: readonly BotCommand[] = [
  { command: "top", description: "Today's strongest signals" },
  { command: "models", description: "The model leaderboard" },
  { command: "stock", description: "A stock's last close and latest calls: /stock AAPL" },
  { command: "subscribe", description: "Add an alert rule: /subscribe AAPL 80%" },
  { command: "unsubscribe", description: "Remove rules on a stock: /unsubscribe AAPL" },
  { command: "list", description: "Your alert rules" },
  { command: "mute", description: "Hold alerts for some hours: /mute 8" },
  { command: "stop", description: "No more alerts to this chat" },
  { command: "start", description: "Resume alerts, or link this chat: /start CODE" },
  { command: "help", description: "What the bot can do" },
];

export function helpCommands(app: BotApp): Composer<Context> {
  const commands = new Composer();
  commands.command("help", async (ctx) => {
    const topic = ctx.match.trim().replace(/^\//, "").toLowerCase();
    await send(ctx, topic === "subscribe" ? subscribeHelpText() : helpText(app.config.publicUrl));
  });
  return commands;
}

/**
 * After every command: a command nobody handled gets a pointer to /help — in a group only when it
 * was addressed to this bot — and other text in a private chat a short hint. Group chatter and
 * commands for other bots are left alone.
 */
export function fallbacks(): Composer<Context> {
  const fallback = new Composer();
  fallback.on("message:text", async (ctx) => {
    const text = ctx.message.text;
    const command = /^\/([^\s@]+)(?:@(\S+))?/.exec(text);
    const privateChat = ctx.chat.type === "private";
    if (command) {
      const addressed = command[2] === undefined
        ? privateChat
        : command[2].toLowerCase() === ctx.me.username.toLowerCase();
      if (addressed) await send(ctx, unknownCommandText(`/${command[1]}`));
    } else if (privateChat) {
      await send(ctx, "Send /help to see what I can do.");
    }
  });
  fallback.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "This button has expired." });
  });
  return fallback;
}
