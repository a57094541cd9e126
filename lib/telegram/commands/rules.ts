// Alert rules from the chat: /subscribe, /unsubscribe, /list and /list's buttons. Rules need a
// linked account: alerts share Telegram's sending limits, so each rule has an owner an admin can
// disable, and the account page shows and edits the same rules.
import { Composer, type Context, GrammyError } from "grammy";
import { escapeHtml } from "../../alerts/format.ts";
import { RuleInvalid } from "../../alerts/subscription_input.ts";
import {
  getChat,
  listRules,
  removeRule,
  removeRulesNaming,
  type RuleTarget,
  saveRule,
} from "../../alerts/subscriptions.ts";
import { getStock } from "../../stocks/store.ts";
import { count } from "../../predict/format.ts";
import { parseSubscribe, parseUnsubscribe, quoted, type UnsubscribeTarget } from "../args.ts";
import { type BotApp, seenChat, send } from "../chat.ts";
import { accountOfChat } from "../link_codes.ts";
import {
  notLinkedText,
  parseListAction,
  problemReply,
  rulesPage,
  savedRuleText,
} from "../replies.ts";

/** A name typed after /unsubscribe, resolved: a stock we follow wins over a model's name. */
async function ruleTarget(app: BotApp, target: UnsubscribeTarget): Promise<RuleTarget> {
  if (target.kind !== "name") return target;
  if (target.symbol !== null && await getStock(app.db.sql, target.symbol)) {
    return { kind: "stock", symbol: target.symbol };
  }
  return { kind: "model", name: target.name };
}

/** "Message is not modified": the button showed what is already there. */
function isUnmodified(error: unknown): boolean {
  return error instanceof GrammyError && /message is not modified/i.test(error.description);
}

export function ruleCommands(app: BotApp): Composer<Context> {
  const commands = new Composer();
  const { sql } = app.db;

  commands.command("subscribe", async (ctx) => {
    const chat = seenChat(ctx);
    if (!chat) return;
    const request = parseSubscribe(ctx.match);
    if (!request.ok) return await send(ctx, problemReply(request.problem));
    const account = await accountOfChat(sql, chat.chatId);
    if (!account) return await send(ctx, notLinkedText(app.config.publicUrl));
    try {
      const saved = await saveRule(
        sql,
        { chatId: chat.chatId, userId: account.userId },
        request.value,
      );
      const state = await getChat(sql, chat.chatId);
      await send(ctx, savedRuleText(saved, { stopped: state?.deactivatedReason === "stopped" }));
    } catch (error) {
      if (!(error instanceof RuleInvalid)) throw error;
      await send(ctx, problemReply(`${error.message}. /help subscribe shows every option.`));
    }
  });

  commands.command("unsubscribe", async (ctx) => {
    const chat = seenChat(ctx);
    if (!chat) return;
    const parsed = parseUnsubscribe(ctx.match);
    if (!parsed.ok) return await send(ctx, problemReply(parsed.problem));
    const target = await ruleTarget(app, parsed.value);
    const removed = await removeRulesNaming(sql, chat.chatId, target);
    const what = target.kind === "stock"
      ? target.symbol
      : target.kind === "model"
      ? quoted(target.name)
      : target.kind === "any_stock"
      ? "any stock"
      : null;
    await send(
      ctx,
      removed === 0
        ? problemReply(
          `No rule of this chat ${what ? `names ${what}` : "is in force"}. /list shows them.`,
        )
        : escapeHtml(`🗑 Removed ${count(removed, "rule")}${what ? ` on ${what}` : ""}.`),
    );
  });

  commands.command("list", async (ctx) => {
    const chat = seenChat(ctx);
    if (!chat) return;
    await send(ctx, rulesPage(await listRules(sql, { chatId: chat.chatId }), 0));
  });

  commands.on("callback_query:data", async (ctx) => {
    const chat = seenChat(ctx);
    const action = parseListAction(ctx.callbackQuery.data);
    if (!chat || !action) {
      return await ctx.answerCallbackQuery({ text: "This button has expired: send /list again." });
    }
    let notice: string;
    if (action.kind === "remove") {
      // The rule must belong to the chat the button is in: data can be forged, chats cannot.
      const removed = await removeRule(sql, { chatId: chat.chatId }, action.id);
      notice = removed ? "Rule removed." : "That rule was already removed.";
    } else notice = `Page ${action.page + 1}`;
    await ctx.answerCallbackQuery({ text: notice });
    const page = rulesPage(await listRules(sql, { chatId: chat.chatId }), action.page);
    try {
      await ctx.editMessageText(page.text, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(page.keyboard ? { reply_markup: page.keyboard } : {}),
      });
    } catch (error) {
      if (!isUnmodified(error)) throw error;
    }
  });

  return commands;
}
