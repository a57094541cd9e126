// The chat and its account: /start [CODE] (resume alerts, link an account), /stop, /mute HOURS.
import { Composer, type Context } from "grammy";
import { muteChat, restartChat, stopChat } from "../../alerts/subscriptions.ts";
import { parseMute } from "../args.ts";
import { type BotApp, seenChat, send } from "../chat.ts";
import { accountOfChat, normalizeLinkCode, redeemLinkCode } from "../link_codes.ts";
import { count } from "../../predict/format.ts";
import { linkResultText, problemReply, welcomeText } from "../replies.ts";

export function accountCommands(app: BotApp): Composer<Context> {
  const commands = new Composer();
  const { sql } = app.db;
  const { publicUrl } = app.config;

  commands.command("start", async (ctx) => {
    const chat = seenChat(ctx);
    if (!chat) return;
    const { wasStopped } = await restartChat(sql, chat);
    const payload = ctx.match.trim();
    if (payload === "") {
      const account = await accountOfChat(sql, chat.chatId);
      await send(ctx, welcomeText(publicUrl, { wasStopped, linkedEmail: account?.email ?? null }));
      return;
    }
    // Anything that is not code-shaped is refused without a lookup.
    const result = normalizeLinkCode(payload) === null
      ? { status: "unknown" as const }
      : await redeemLinkCode(sql, payload, chat.chatId);
    if (result.status === "linked") {
      app.log.info("telegram chat linked", { userId: result.userId, chatId: chat.chatId });
    }
    await send(ctx, linkResultText(result, publicUrl));
  });

  commands.command("stop", async (ctx) => {
    const chat = seenChat(ctx);
    if (!chat) return;
    const rules = await stopChat(sql, chat.chatId);
    await send(
      ctx,
      `⏹ No more alerts to this chat${
        rules ? `: ${count(rules, "rule")} switched off` : ""
      }. /start turns alerts on again.`,
    );
  });

  commands.command("mute", async (ctx) => {
    const chat = seenChat(ctx);
    if (!chat) return;
    const hours = parseMute(ctx.match);
    if (!hours.ok) return await send(ctx, problemReply(hours.problem));
    if (hours.value === 0) {
      await muteChat(sql, chat.chatId, null);
      return await send(ctx, "🔔 Alerts are on again.");
    }
    const until = new Date(Date.now() + hours.value * 3_600_000);
    await muteChat(sql, chat.chatId, until);
    await send(
      ctx,
      `🔕 Alerts are held until ${
        until.toISOString().slice(0, 16).replace("T", " ")
      } UTC and delivered after. /mute off resumes now.`,
    );
  });

  return commands;
}
