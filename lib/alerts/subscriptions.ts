// The user side of alerts in SQL: the chats the bot talks to (telegram_chat) and the rules people
// set (alert_subscription), from the bot's commands and the account page. The rules helper reads
// these rows when predictions arrive; the alerts job deactivates chats that block the bot.
// Removing a rule deactivates it rather than deleting it: its outbox rows and delivery history
// (alert_outbox references it on delete cascade) stay, and subscribing again re-arms it.
import type { ISql, Sql } from "postgres";
import type { Direction } from "../predict/types.ts";
import { hasControlCharacter } from "../util/control_characters.ts";
import { checkRule, RuleInvalid, type RuleRequest, type RuleTerms } from "./subscription_input.ts";
import type { AlertFrequency, AlertRule } from "./types.ts";

export const CHAT_KINDS = ["private", "group", "supergroup", "channel"] as const;
export type ChatKind = typeof CHAT_KINDS[number];
export type DeactivatedReason = "blocked" | "stopped" | "not_found";

/** Active rules one chat may hold: alerts share Telegram's sending limits with everyone else. */
export const MAX_RULES_PER_CHAT = 50;
const TITLE_MAX_LENGTH = 128;

/** A chat as an update shows it. */
export interface SeenChat {
  chatId: number;
  kind: ChatKind;
  /** Username or group title; null when there is none. */
  title: string | null;
}

export interface ChatRecord {
  chatId: number;
  kind: ChatKind;
  title: string | null;
  active: boolean;
  deactivatedReason: DeactivatedReason | null;
  mutedUntil: Date | null;
}

/** Who a rule belongs to: the chat it alerts and the account linked to that chat. */
export interface RuleOwner {
  chatId: number;
  userId: number;
}

export interface Subscription extends RuleTerms {
  id: number;
  chatId: number;
  userId: number | null;
  active: boolean;
  lastTriggeredAt: Date | null;
  createdAt: Date;
}

interface ChatRow {
  chat_id: number;
  kind: ChatKind;
  title: string | null;
  active: boolean;
  deactivated_reason: DeactivatedReason | null;
  muted_until: Date | null;
}

const toChat = (row: ChatRow): ChatRecord => ({
  chatId: row.chat_id,
  kind: row.kind,
  title: row.title,
  active: row.active,
  deactivatedReason: row.deactivated_reason,
  mutedUntil: row.muted_until,
});

/** A title as stored: trimmed, on one line, bounded (it is shown in the admin console only). */
function cleanTitle(title: string | null): string | null {
  if (title === null) return null;
  const clean = [...title].map((c) => hasControlCharacter(c) ? " " : c).join("").trim();
  return clean ? [...clean].slice(0, TITLE_MAX_LENGTH).join("") : null;
}

/**
 * Records a chat the bot heard from. A chat deactivated because the bot was blocked or removed is
 * active again (its message proves the bot can reach it); one that chose /stop stays stopped
 * until /start (`restartChat`).
 */
export async function recordChat(sql: ISql, chat: SeenChat): Promise<ChatRecord> {
  const [row] = await sql<ChatRow[]>`
    insert into telegram_chat (chat_id, kind, title)
    values (${chat.chatId}, ${chat.kind}, ${cleanTitle(chat.title)})
    on conflict (chat_id) do update set
      kind = excluded.kind,
      title = excluded.title,
      active = telegram_chat.deactivated_reason is distinct from 'stopped',
      deactivated_reason = case when telegram_chat.deactivated_reason = 'stopped'
        then 'stopped' end,
      deactivated_at = case when telegram_chat.deactivated_reason = 'stopped'
        then telegram_chat.deactivated_at end,
      updated_at = now()
    returning chat_id, kind, title, active, deactivated_reason, muted_until`;
  return toChat(row);
}

/** /start: the chat is active again, whatever deactivated it; answers whether it had stopped. */
export async function restartChat(sql: ISql, chat: SeenChat): Promise<{ wasStopped: boolean }> {
  const [row] = await sql<{ was_stopped: boolean }[]>`
    with before as (
      select deactivated_reason = 'stopped' as was_stopped from telegram_chat
      where chat_id = ${chat.chatId}
    ), saved as (
      insert into telegram_chat (chat_id, kind, title)
      values (${chat.chatId}, ${chat.kind}, ${cleanTitle(chat.title)})
      on conflict (chat_id) do update set
        kind = excluded.kind, title = excluded.title, active = true, deactivated_reason = null,
        deactivated_at = null, updated_at = now()
      returning chat_id
    )
    select coalesce((select was_stopped from before), false) as was_stopped
    from saved`;
  return { wasStopped: row.was_stopped };
}

export async function getChat(sql: ISql, chatId: number): Promise<ChatRecord | null> {
  const [row] = await sql<ChatRow[]>`
    select chat_id, kind, title, active, deactivated_reason, muted_until from telegram_chat
    where chat_id = ${chatId}`;
  return row ? toChat(row) : null;
}

/** /stop: no more alerts to this chat; its rules are switched off. Answers how many were on. */
export function stopChat(sql: Sql, chatId: number): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`
      update telegram_chat
      set active = false, deactivated_reason = 'stopped', deactivated_at = now(), updated_at = now()
      where chat_id = ${chatId} and deactivated_reason is distinct from 'stopped'`;
    const turnedOff = await tx`
      update alert_subscription set active = false
      where chat_id = ${chatId} and active
      returning id`;
    return turnedOff.length;
  });
}

/**
 * The bot can no longer reach the chat (blocked by its user, removed from the group, not found):
 * no alerts until a message from it shows otherwise (`recordChat`). A /stop is kept as the
 * reason. Recorded even for a chat the bot never saw. True when this call deactivated it.
 */
export async function deactivateChat(
  sql: ISql,
  chatId: number,
  reason: Exclude<DeactivatedReason, "stopped">,
): Promise<boolean> {
  const rows = await sql`
    insert into telegram_chat (chat_id, kind, active, deactivated_reason, deactivated_at)
    values (${chatId}, ${chatKind(chatId)}, false, ${reason}, now())
    on conflict (chat_id) do update set active = false,
      deactivated_reason = excluded.deactivated_reason, deactivated_at = now(), updated_at = now()
    where telegram_chat.active
    returning chat_id`;
  return rows.length > 0;
}

/** A chat's kind from its id (supergroup ids start at -100…), for a chat not yet recorded. */
function chatKind(chatId: number): ChatKind {
  if (chatId > 0) return "private";
  return chatId < -1_000_000_000_000 ? "supergroup" : "group";
}

/** Holds the chat's alerts until `until` (null: unmuted); the chat must have been recorded. */
export async function muteChat(sql: ISql, chatId: number, until: Date | null): Promise<boolean> {
  const rows = await sql`
    update telegram_chat set muted_until = ${until}, updated_at = now()
    where chat_id = ${chatId}
    returning chat_id`;
  return rows.length > 0;
}

interface SubscriptionRow {
  id: number;
  chat_id: number;
  user_id: number | null;
  rule: AlertRule;
  symbol: string | null;
  model: string | null;
  direction: Direction | null;
  min_confidence: number;
  min_models: number | null;
  win_rate_below: number | null;
  frequency: AlertFrequency;
  expires_at: Date | null;
  digest: boolean;
  active: boolean;
  last_triggered_at: Date | null;
  created_at: Date;
}

const toSubscription = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  chatId: row.chat_id,
  userId: row.user_id,
  rule: row.rule,
  symbol: row.symbol,
  model: row.model,
  direction: row.direction,
  minConfidence: row.min_confidence,
  minModels: row.min_models,
  winRateBelow: row.win_rate_below,
  frequency: row.frequency,
  expiresAt: row.expires_at,
  digest: row.digest,
  active: row.active,
  lastTriggeredAt: row.last_triggered_at,
  createdAt: row.created_at,
});

const SUBSCRIPTION_SELECT = (sql: ISql) =>
  sql`
  select a.id, a.chat_id, a.user_id, a.rule, s.symbol, m.name as model, a.direction,
    a.min_confidence, a.min_models, a.win_rate_below, a.frequency, a.expires_at, a.digest,
    a.active, a.last_triggered_at, a.created_at
  from alert_subscription a
  left join stock s on s.id = a.stock_id
  left join model m on m.id = a.model_id`;

/** In force: switched on and not past its expiry. */
const IN_FORCE = (sql: ISql) => sql`a.active and (a.expires_at is null or a.expires_at > now())`;

async function stockIdOf(sql: ISql, symbol: string | null): Promise<number | null> {
  if (symbol === null) return null;
  const [stock] = await sql<{ id: number; active: boolean }[]>`
    select id, active from stock where symbol = ${symbol}`;
  if (!stock) throw new RuleInvalid("stock", `no stock ${symbol} is followed here`);
  if (!stock.active) throw new RuleInvalid("stock", `${symbol} is no longer followed`);
  return stock.id;
}

/** An exact name first, else the one model whose name matches ignoring case. */
async function modelIdOf(sql: ISql, name: string | null): Promise<number | null> {
  if (name === null) return null;
  const rows = await sql<{ id: number; name: string; active: boolean }[]>`
    select id, name, active from model where lower(name) = lower(${name})
    order by (name = ${name}) desc, id`;
  const model = rows.find((row) => row.name === name) ?? (rows.length === 1 ? rows[0] : null);
  if (!model) throw new RuleInvalid("model", `no model named "${name}"`);
  if (!model.active) {
    throw new RuleInvalid("model", `${model.name} is retired and predicts no more`);
  }
  return model.id;
}

export interface SavedRule {
  subscription: Subscription;
  /** A rule with the same chat, kind, stock, model and direction was in force and was replaced. */
  replaced: boolean;
}

/**
 * Creates a rule, or replaces the one with the same chat, kind, stock, model and direction (the
 * table's unique key): its thresholds, frequency, expiry and digest flag become the new ones and
 * it is switched on again. Throws `RuleInvalid` naming the field to fix.
 */
export function saveRule(
  sql: Sql,
  owner: RuleOwner,
  request: RuleRequest,
  now: Date = new Date(),
): Promise<SavedRule> {
  const rule = checkRule(request, now);
  return sql.begin(async (tx) => {
    const stockId = await stockIdOf(tx, rule.symbol);
    const modelId = await modelIdOf(tx, rule.model);
    const [existing] = await tx<{ in_force: boolean }[]>`
      select ${IN_FORCE(tx)} as in_force from alert_subscription a
      where a.chat_id = ${owner.chatId} and a.rule = ${rule.rule}
        and a.stock_id is not distinct from ${stockId}::bigint
        and a.model_id is not distinct from ${modelId}::bigint
        and a.direction is not distinct from ${rule.direction}::text`;
    if (!existing?.in_force) {
      const [{ count }] = await tx<{ count: number }[]>`
        select count(*) as count from alert_subscription a
        where a.chat_id = ${owner.chatId} and ${IN_FORCE(tx)}`;
      if (count >= MAX_RULES_PER_CHAT) {
        throw new RuleInvalid(
          "rule",
          `this chat has ${MAX_RULES_PER_CHAT} rules, the most allowed: remove one first`,
        );
      }
    }
    const [{ id }] = await tx<{ id: number }[]>`
      insert into alert_subscription (user_id, chat_id, stock_id, model_id, direction,
        min_confidence, rule, min_models, win_rate_below, frequency, expires_at, digest)
      values (${owner.userId}, ${owner.chatId}, ${stockId}, ${modelId}, ${rule.direction},
        ${rule.minConfidence}, ${rule.rule}, ${rule.minModels}, ${rule.winRateBelow},
        ${rule.frequency}, ${rule.expiresAt}, ${rule.digest})
      on conflict on constraint alert_subscription_chat_rule_key do update set
        user_id = excluded.user_id, min_confidence = excluded.min_confidence,
        min_models = excluded.min_models, win_rate_below = excluded.win_rate_below,
        frequency = excluded.frequency, expires_at = excluded.expires_at,
        digest = excluded.digest, active = true
      returning id`;
    const [row] = await tx<SubscriptionRow[]>`${SUBSCRIPTION_SELECT(tx)} where a.id = ${id}`;
    return { subscription: toSubscription(row), replaced: existing?.in_force ?? false };
  });
}

/** The rules in force for a chat, or for an account (in whichever chat it linked), oldest first. */
export async function listRules(
  sql: ISql,
  owner: { chatId: number } | { userId: number },
): Promise<Subscription[]> {
  const whose = "chatId" in owner
    ? sql`a.chat_id = ${owner.chatId}`
    : sql`a.user_id = ${owner.userId}`;
  const rows = await sql<SubscriptionRow[]>`
    ${SUBSCRIPTION_SELECT(sql)}
    where ${whose} and ${IN_FORCE(sql)}
    order by a.created_at, a.id`;
  return rows.map(toSubscription);
}

/** Switches off one rule of this chat or account; false when it has no such rule in force. */
export async function removeRule(
  sql: ISql,
  owner: { chatId: number } | { userId: number },
  id: number,
): Promise<boolean> {
  const whose = "chatId" in owner
    ? sql`a.chat_id = ${owner.chatId}`
    : sql`a.user_id = ${owner.userId}`;
  const rows = await sql`
    update alert_subscription a set active = false
    where a.id = ${id} and ${whose} and ${IN_FORCE(sql)}
    returning a.id`;
  return rows.length > 0;
}

/** What /unsubscribe names: a stock, a model, rules on any stock, or every rule. */
export type RuleTarget =
  | { kind: "stock"; symbol: string }
  | { kind: "model"; name: string }
  | { kind: "any_stock" }
  | { kind: "all" };

/** Switches off the chat's rules in force that `target` names; answers how many. */
export async function removeRulesNaming(
  sql: ISql,
  chatId: number,
  target: RuleTarget,
): Promise<number> {
  const named = target.kind === "stock"
    ? sql`a.stock_id = (select id from stock where symbol = ${target.symbol})`
    : target.kind === "model"
    ? sql`a.model_id in (select id from model where lower(name) = lower(${target.name}))`
    : target.kind === "any_stock"
    ? sql`a.stock_id is null`
    : sql`true`;
  const rows = await sql`
    update alert_subscription a set active = false
    where a.chat_id = ${chatId} and ${IN_FORCE(sql)} and ${named}
    returning a.id`;
  return rows.length;
}
