// Alert outbox rows and chats written with plain SQL (the production path is
// lib/alerts/enqueue.ts), and what the dispatcher tests, the child-process test and the bench
// share to check them: which alert a delivered message carries, and the outbox's statuses.
import type { Sql } from "postgres";
import type { AlertPayload } from "../../lib/alerts/types.ts";
import type { DeliveredMessage } from "./fake_telegram.ts";

export interface AlertSpec {
  chatId: number;
  /** The idempotency key; the message text carries it as "alert:KEY" (in the reasoning). */
  key: string;
  /** Default: the key itself (no collapsing). */
  collapseKey?: string;
  createdAt?: Date;
  nextAttemptAt?: Date;
}

/** A strong-signal payload whose reasoning names `key`, so a message shows which alert it is. */
export function alertPayload(key: string, symbol = "AAPL"): AlertPayload {
  return {
    kind: "prediction",
    rule: "strong",
    prediction: {
      id: 1,
      symbol,
      stockName: "Apple Inc.",
      modelId: 1,
      modelName: "momentum",
      direction: "up",
      confidence: 0.8,
      horizon: 5,
      asOf: "2024-03-01T21:00:00.000Z",
      reasoning: `alert:${key} price above its 20-day average`,
      winRate: { rate: 0.56, low: 0.5, high: 0.62, n: 300 },
    },
  };
}

/** Inserts telegram_chat rows (kind from the id's sign), active. */
export async function insertChats(sql: Sql, chatIds: number[]): Promise<void> {
  const kinds = chatIds.map((id) => (id > 0 ? "private" : "group"));
  await sql`
    insert into telegram_chat (chat_id, kind)
    select * from unnest(${chatIds}::bigint[], ${kinds}::text[])
    on conflict do nothing`;
}

/** Inserts pending outbox rows in one statement, in order. */
export async function insertAlerts(sql: Sql, specs: AlertSpec[]): Promise<void> {
  const now = new Date();
  await sql`
    insert into alert_outbox (chat_id, idempotency_key, payload, collapse_key, created_at,
      next_attempt_at)
    select chat_id, key, payload::jsonb, collapse_key, created_at, next_attempt_at
    from unnest(
      ${specs.map((s) => s.chatId)}::bigint[],
      ${specs.map((s) => s.key)}::text[],
      ${specs.map((s) => JSON.stringify(alertPayload(s.key)))}::text[],
      ${specs.map((s) => s.collapseKey ?? s.key)}::text[],
      ${specs.map((s) => (s.createdAt ?? now).toISOString())}::timestamptz[],
      ${specs.map((s) => (s.nextAttemptAt ?? s.createdAt ?? now).toISOString())}::timestamptz[]
    ) with ordinality as t(chat_id, key, payload, collapse_key, created_at, next_attempt_at, n)
    order by n`;
}

/**
 * `alerts` alerts over `chats` chats, the last `groups` of them group chats: each group gets
 * `perGroup` (default: an even share), the private chats share the rest round-robin.
 */
export function spreadAlerts(
  alerts: number,
  chats: number,
  groups: number,
  perGroup = Math.floor(alerts / chats),
): AlertSpec[] {
  const ids = chatIds(chats, groups);
  const privateChats = ids.slice(0, chats - groups);
  const groupChats = ids.slice(chats - groups);
  const toGroups = groupChats.flatMap((chatId) => Array(perGroup).fill(chatId));
  const toPrivate = Array.from(
    { length: alerts - toGroups.length },
    (_, i) => privateChats[i % privateChats.length],
  );
  // Interleaved, as alerts raised over time would be.
  const order = [...toPrivate, ...toGroups].map((chatId, i) => ({
    chatId,
    sort: (i * 7919) % alerts,
  }));
  return order.sort((a, b) => a.sort - b.sort).map(({ chatId }, i) => ({ chatId, key: `a${i}` }));
}

/** Private chats 1001… and group chats -1001…, `groups` of `chats` being groups. */
export function chatIds(chats: number, groups: number): number[] {
  return Array.from({ length: chats }, (_, i) => (i < chats - groups ? 1001 + i : -(1001 + i)));
}

/** How many times each alert key appears in the delivered messages. */
export function deliveriesByKey(messages: readonly DeliveredMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (message.kind !== "send") continue;
    for (const [, key] of message.plainText.matchAll(/alert:(\S+)/g)) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Outbox rows per status. */
export async function statusCounts(sql: Sql): Promise<Record<string, number>> {
  const rows = await sql<{ status: string; n: number }[]>`
    select status, count(*) as n from alert_outbox group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
