// Linking a Telegram chat to an account: the profile page asks for a one-time code, valid for
// LINK_CODE_TTL_MINUTES, and `/start CODE` in the bot redeems it. Only the code's sha-256 is
// stored, so a database leak hands out no links. Redeeming marks the code used and links the chat
// in one transaction: of two chats racing with one code, one wins and the other hears it was used.
// The link lives on app_user (telegram_chat_id, telegram_linked_at) and is written here, the one
// place that changes it.
import type { ISql, Sql } from "postgres";
import { sha256Hex } from "../crypto/sha256.ts";

export const LINK_CODE_TTL_MINUTES = 15;
/** Crockford's base32: no I, L, O or U, so a code read aloud or retyped survives. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 12 symbols of 5 bits: 60 bits, against guesses that each cost a Telegram message. */
export const LINK_CODE_LENGTH = 12;

export interface LinkCode {
  code: string;
  expiresAt: Date;
}

/** `text` as a code is stored and compared: upper case, without spaces or dashes; null if no code. */
export function normalizeLinkCode(text: string): string | null {
  const code = text.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== LINK_CODE_LENGTH) return null;
  return [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

function newCode(): string {
  // 256 is a multiple of 32: taking 5 bits of each random byte keeps every symbol equally likely.
  const bytes = crypto.getRandomValues(new Uint8Array(LINK_CODE_LENGTH));
  return Array.from(bytes, (byte) => ALPHABET[byte & 31]).join("");
}

/**
 * A fresh code for `userId`. Its earlier unused codes stop working (only the newest one shown is
 * live), and its codes that expired over a day ago are deleted.
 */
export function createLinkCode(sql: Sql, userId: number, now = new Date()): Promise<LinkCode> {
  const code = newCode();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MINUTES * 60_000);
  return sql.begin(async (tx) => {
    await tx`
      delete from telegram_link_code
      where user_id = ${userId}
        and (used_at is null or expires_at < ${now}::timestamptz - interval '1 day')`;
    await tx`
      insert into telegram_link_code (code_hash, user_id, created_at, expires_at)
      values (${await sha256Hex(code)}, ${userId}, ${now}, ${expiresAt})`;
    return { code, expiresAt };
  });
}

export type Redemption =
  | {
    status: "linked";
    userId: number;
    email: string;
    /** The chat was linked to another account, which no longer is. */
    tookOverFromOtherAccount: boolean;
    /** The account was linked to another chat; its rules there moved to this chat. */
    movedFromOtherChat: boolean;
    /** The account's rules that moved here from its previous chat. */
    rulesMoved: number;
  }
  /** The chat was already linked to this code's account. */
  | { status: "already_linked"; userId: number; email: string }
  | { status: "unknown" | "expired" | "used" | "account_disabled" };

/**
 * Redeems `code` for `chatId` (a recorded telegram_chat). A chat linked to another account is
 * re-linked to the code's owner only; an account linked to another chat moves here, bringing its
 * rules (any that duplicate one this chat already has are switched off instead).
 */
export async function redeemLinkCode(
  sql: Sql,
  code: string,
  chatId: number,
  now = new Date(),
): Promise<Redemption> {
  const normalized = normalizeLinkCode(code);
  if (normalized === null) return { status: "unknown" };
  const hash = await sha256Hex(normalized);
  return await sql.begin(async (tx): Promise<Redemption> => {
    // One statement takes the code: the row lock makes a second redemption wait, then miss.
    const [taken] = await tx<{ user_id: number; email: string; disabled: boolean }[]>`
      update telegram_link_code c set used_at = ${now}
      from app_user u
      where c.code_hash = ${hash} and u.id = c.user_id
        and c.used_at is null and c.expires_at > ${now}
      returning c.user_id, u.email, u.disabled_at is not null as disabled`;
    if (!taken) return { status: await whyNot(tx, hash) };
    if (taken.disabled) {
      // Not linked: the code stays used, so it can't be tried again once the account is enabled.
      return { status: "account_disabled" };
    }
    return await link(tx, taken.user_id, taken.email, chatId, now);
  });
}

async function whyNot(tx: ISql, hash: string): Promise<"unknown" | "expired" | "used"> {
  const [row] = await tx<{ used: boolean }[]>`
    select used_at is not null as used from telegram_link_code where code_hash = ${hash}`;
  return !row ? "unknown" : row.used ? "used" : "expired";
}

async function link(
  tx: ISql,
  userId: number,
  email: string,
  chatId: number,
  now: Date,
): Promise<Redemption> {
  const [current] = await tx<{ chat_id: number | null }[]>`
    select telegram_chat_id as chat_id from app_user where id = ${userId} for update`;
  if (current.chat_id === chatId) return { status: "already_linked", userId, email };
  const released = await tx`
    update app_user set telegram_chat_id = null, telegram_linked_at = null, updated_at = now()
    where telegram_chat_id = ${chatId} and id <> ${userId}
    returning id`;
  if (released.length > 0) {
    // The other account's rules in this chat end with its link: the chat is no longer its own.
    await tx`
      update alert_subscription set active = false
      where chat_id = ${chatId} and user_id = ${released[0].id} and active`;
  }
  await tx`
    update app_user set telegram_chat_id = ${chatId}, telegram_linked_at = ${now}, updated_at = now()
    where id = ${userId}`;
  let rulesMoved = 0;
  if (current.chat_id !== null) rulesMoved = await moveRules(tx, userId, current.chat_id, chatId);
  return {
    status: "linked",
    userId,
    email,
    tookOverFromOtherAccount: released.length > 0,
    movedFromOtherChat: current.chat_id !== null,
    rulesMoved,
  };
}

/** Moves an account's rules in force from one chat to another; duplicates are switched off. */
async function moveRules(tx: ISql, userId: number, from: number, to: number): Promise<number> {
  await tx`
    update alert_subscription a set active = false
    where a.user_id = ${userId} and a.chat_id = ${from} and exists (
      select 1 from alert_subscription b
      where b.chat_id = ${to} and b.rule = a.rule
        and b.stock_id is not distinct from a.stock_id
        and b.model_id is not distinct from a.model_id
        and b.direction is not distinct from a.direction
    )`;
  const moved = await tx`
    update alert_subscription set chat_id = ${to}
    where user_id = ${userId} and chat_id = ${from} and active
    returning id`;
  return moved.length;
}

/** The chat an account is linked to, and since when; null when it is not linked. */
export async function linkedChat(
  sql: ISql,
  userId: number,
): Promise<{ chatId: number; linkedAt: Date } | null> {
  const [row] = await sql<{ chat_id: number | null; linked_at: Date | null }[]>`
    select telegram_chat_id as chat_id, telegram_linked_at as linked_at from app_user
    where id = ${userId}`;
  return row?.chat_id != null && row.linked_at !== null
    ? { chatId: row.chat_id, linkedAt: row.linked_at }
    : null;
}

/** The enabled account a chat is linked to, or null. */
export async function accountOfChat(
  sql: ISql,
  chatId: number,
): Promise<{ userId: number; email: string } | null> {
  const [row] = await sql<{ id: number; email: string }[]>`
    select id, email from app_user where telegram_chat_id = ${chatId} and disabled_at is null`;
  return row ? { userId: row.id, email: row.email } : null;
}

/** Ends an account's link (its rules in that chat are switched off); false when it had none. */
export function unlinkChat(sql: Sql, userId: number): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ chat_id: number }[]>`
      update app_user u set telegram_chat_id = null, telegram_linked_at = null, updated_at = now()
      from app_user before
      where u.id = ${userId} and before.id = u.id and before.telegram_chat_id is not null
      returning before.telegram_chat_id as chat_id`;
    if (!row) return false;
    await tx`
      update alert_subscription set active = false
      where user_id = ${userId} and chat_id = ${row.chat_id} and active`;
    return true;
  });
}
