// What every command handler shares: the app it works on, the chat an update comes from, and
// how a reply goes out (HTML, no link previews).
import type { Context } from "grammy";
import type { ChatKind, SeenChat } from "../alerts/subscriptions.ts";
import type { AppContext } from "../context.ts";
import type { Reply } from "./replies.ts";

export type BotApp = Pick<AppContext, "config" | "db" | "log">;

/** The chat of a message or a button press, as telegram_chat stores it; null without one. */
export function seenChat(ctx: Context): SeenChat | null {
  const chat = ctx.chat;
  if (!chat || !Number.isSafeInteger(chat.id)) return null;
  const kind: ChatKind = chat.type;
  const title = chat.type === "private"
    ? (chat.username ? `@${chat.username}` : chat.first_name ?? null)
    : chat.title ?? null;
  return { chatId: chat.id, kind, title: typeof title === "string" ? title : null };
}

/** Sends `reply` (text or text with a keyboard) to the chat the update came from. */
export async function send(ctx: Context, reply: string | Reply): Promise<void> {
  const { text, keyboard } = typeof reply === "string"
    ? { text: reply, keyboard: undefined }
    : reply;
  await ctx.reply(text, {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
}
