// The parts of an update the bot relies on, checked before a handler sees it. Telegram always
// sends them; anything else reaching the webhook (it holds the secret, so a bug or a misuse) is
// skipped rather than allowed to throw deep inside a handler.
import type { Update } from "grammy/types";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isId = (value: unknown): value is number => Number.isSafeInteger(value);

const CHAT_TYPES = ["private", "group", "supergroup", "channel"];

function chatProblem(chat: unknown): string | null {
  if (!isObject(chat)) return "no chat";
  if (!isId(chat.id) || chat.id === 0) return "chat.id is not an integer";
  if (typeof chat.type !== "string" || !CHAT_TYPES.includes(chat.type)) return "unknown chat.type";
  return null;
}

function messageProblem(message: Json): string | null {
  if (!isId(message.message_id)) return "message_id is not an integer";
  if (typeof message.date !== "number") return "message has no date";
  if (message.text !== undefined && typeof message.text !== "string") return "text is not text";
  if (message.entities !== undefined && !Array.isArray(message.entities)) {
    return "entities is not a list";
  }
  return chatProblem(message.chat);
}

/**
 * Whether `body` is an update at all: an object with an integer update_id. Its parts are typed as
 * grammY declares them but checked only by `updateProblem`, which the bot runs first.
 */
export function isUpdateEnvelope(body: unknown): body is Update {
  return isObject(body) && isId(body.update_id) && body.update_id >= 0;
}

/** Why the bot can't handle `update`; null when it can (unknown update kinds are fine: ignored). */
export function updateProblem(received: object): string | null {
  // An update is JSON from outside: read it as plain values, whatever its declared type.
  const update = received as Json;
  for (const key of ["message", "edited_message"]) {
    if (update[key] === undefined) continue;
    if (!isObject(update[key])) return `${key} is not an object`;
    const problem = messageProblem(update[key]);
    if (problem) return `${key}: ${problem}`;
  }
  const query = update.callback_query;
  if (query !== undefined) {
    if (!isObject(query) || typeof query.id !== "string" || !isObject(query.from)) {
      return "callback_query lacks id or from";
    }
    if (query.data !== undefined && typeof query.data !== "string") {
      return "callback data is not text";
    }
    if (query.message !== undefined) {
      const message = query.message;
      if (!isObject(message)) return "callback_query.message is not an object";
      const problem = chatProblem(message.chat);
      if (problem) return `callback_query.message: ${problem}`;
    }
  }
  const member = update.my_chat_member;
  if (member !== undefined) {
    if (!isObject(member)) return "my_chat_member is not an object";
    const problem = chatProblem(member.chat);
    if (problem) return `my_chat_member: ${problem}`;
    if (!isObject(member.new_chat_member) || typeof member.new_chat_member.status !== "string") {
      return "my_chat_member lacks new_chat_member.status";
    }
  }
  return null;
}
