// The alert outbox, dispatch side: the only SQL between a pending alert_outbox row and a delivered
// Telegram message. (Rows are written by lib/alerts/enqueue.ts in the transaction of their cause.)
//
// A row's life: 'pending' → claimed ('sending', next_attempt_at = lease end) → before the HTTP
// call an attempt row is committed (alert_delivery_attempt, finished_at null) → Telegram answers
// → one small transaction records the answer: 'sent' (with telegram_message_id), back to
// 'pending' (429, transient failure: a later next_attempt_at), 'failed', 'cancelled' (chat
// blocked), or 'unknown' (no answer: it may have been delivered).
//
// Exactly once, and the one window where it can't be. A row goes back to 'pending' (and may be
// sent again) only when Telegram answered that it did not take the message (429, an error
// answer), or when no attempt was ever opened for it (claimed, not yet sent). The attempt row is
// the marker written before sending: a row still 'sending' inside an open attempt when a
// recovery runs (the next run's start, or its lease ran out) becomes 'unknown' and is never sent
// again. So no alert is delivered twice (taking Telegram's error answers, and a proxy's 5xx
// page in front of it, at their word: the message was not taken). What remains is the window
// between committing the attempt and committing the answer — one sendMessage round trip plus
// one commit per message: a process dying inside it leaves its rows 'unknown', delivered if
// Telegram had accepted the message (the answer was on its way back, or the 'sent' commit had
// not happened yet) and lost if not (at most once). At most the job's concurrency in messages
// is ever inside that window.
import type { ISql, Sql, TransactionSql } from "postgres";
import { isDigestKey } from "./format.ts";
import { deactivateChat } from "./subscriptions.ts";
import type { AlertPayload } from "./types.ts";

export interface OutboxRow {
  id: number;
  chatId: number;
  idempotencyKey: string;
  collapseKey: string;
  payload: AlertPayload;
  /** Attempts that reached Telegram (429s not counted). */
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
}

/** Rows of one chat and collapse key, claimed together, oldest first. */
export interface ClaimedGroup {
  chatId: number;
  collapseKey: string;
  rows: OutboxRow[];
}

/** A claimed group with its lease: the lease end (ISO, ms) is also the claimer's ownership mark. */
export interface LeasedGroup extends ClaimedGroup {
  lease: string;
}

export interface DuePolicy {
  cooldownMinutes: number;
  maxAgeHours: number;
  digestHourUtc: number;
}

export interface ClaimRequest {
  /** Groups (messages, before splitting) at most. */
  groups: number;
  /** Rows of one group at most; the rest stay pending for the next claim. */
  rowsPerGroup: number;
  /** Chats not to claim for: a message of theirs is on its way, or they must wait anyway. */
  excludeChats: number[];
  leaseMs: number;
  policy: DuePolicy;
}

export interface ClaimResult {
  groups: LeasedGroup[];
  /** Rows put off: a message on their collapse key went out within the cooldown, or muted chat. */
  postponed: number;
  /** Rows cancelled: the chat is inactive, or the alert is older than maxAgeHours. */
  cancelled: number;
}

/** `fence` runs first in a transaction and throws to roll it back (lib/jobs/fence.ts). */
export type Fence = (tx: ISql) => Promise<void>;

interface RowRecord {
  id: number;
  chat_id: number;
  idempotency_key: string;
  collapse_key: string;
  payload: AlertPayload;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
}

const toRow = (r: RowRecord): OutboxRow => ({
  id: r.id,
  chatId: r.chat_id,
  idempotencyKey: r.idempotency_key,
  collapseKey: r.collapse_key,
  payload: r.payload,
  attempts: r.attempts,
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at,
});

/**
 * Claims due rows: for each chat not excluded, the rows of its earliest-due collapse key (rows
 * with an empty key go alone), up to `groups` chats, locked with skip locked so concurrent
 * claimers never take the same rows. Within the same transaction, rows of inactive chats and
 * expired rows are cancelled, rows of muted chats and of keys still in their cooldown are
 * postponed, and the rest are leased ('sending' until now + leaseMs). Committed before any send.
 */
export async function claimDue(
  sql: Sql,
  request: ClaimRequest,
  fence?: Fence,
): Promise<ClaimResult> {
  return await sql.begin(async (tx) => {
    if (fence) await fence(tx);
    const records = await tx<(RowRecord & { now: Date })[]>`
      with due as (
        select id, chat_id, next_attempt_at,
          case when collapse_key = '' then 'row:' || id else collapse_key end as key
        from alert_outbox
        where status = 'pending' and next_attempt_at <= now()
          and not (chat_id = any(${request.excludeChats}::bigint[]))
      ), first_keys as (
        select distinct on (chat_id) chat_id, key, min(next_attempt_at) as due_at
        from due group by chat_id, key
        order by chat_id, min(next_attempt_at), key
      ), picked as (
        select chat_id, key from first_keys order by due_at, chat_id limit ${request.groups}
      ), ranked as (
        select d.id, row_number() over (partition by d.chat_id order by d.next_attempt_at, d.id) as n
        from due d join picked p on p.chat_id = d.chat_id and p.key = d.key
      )
      select o.id, o.chat_id, o.idempotency_key, o.collapse_key, o.payload, o.attempts,
        o.created_at, o.next_attempt_at, now() as now
      from alert_outbox o join ranked r on r.id = o.id
      where r.n <= ${request.rowsPerGroup}
        -- Re-checked on the row version the lock sees: another claimer may have just leased it.
        and o.status = 'pending' and o.next_attempt_at <= now()
      order by o.chat_id, o.next_attempt_at, o.id
      for update of o skip locked`;
    if (records.length === 0) return { groups: [], postponed: 0, cancelled: 0 };
    const now = records[0].now;
    const rows = records.map(toRow);
    const chatIds = [...new Set(rows.map((r) => r.chatId))];
    const chats = new Map(
      (await tx<{ chat_id: number; active: boolean; muted_until: Date | null }[]>`
        select chat_id, active, muted_until from telegram_chat where chat_id = any(${chatIds}::bigint[])`)
        .map((c) => [c.chat_id, { active: c.active, mutedUntil: c.muted_until }]),
    );
    const keys = [...new Set(rows.map((r) => r.collapseKey).filter(hasCooldown))];
    const lastSent = new Map(
      keys.length === 0 ? [] : (await tx<{ collapse_key: string; last: Date }[]>`
        select collapse_key, max(sent_at) as last from alert_outbox
        where status = 'sent' and collapse_key = any(${keys}::text[])
        group by collapse_key`).map((r) => [r.collapse_key, r.last]),
    );
    const plan = planClaim(rows, chats, lastSent, now, request.policy);
    const leased = plan.send.flatMap((group) => group.rows.map((r) => r.id));
    let lease = "";
    if (leased.length) {
      // Whole milliseconds, so that the value read back compares equal (beginAttempt).
      const [row] = await tx<{ lease: Date }[]>`
        update alert_outbox set status = 'sending', next_attempt_at = date_trunc('milliseconds',
          now() + ${request.leaseMs} * interval '1 millisecond')
        where id = any(${leased}::bigint[])
        returning next_attempt_at as lease`;
      lease = row.lease.toISOString();
    }
    await postpone(tx, plan.postpone);
    await cancel(tx, plan.cancel);
    return {
      groups: plan.send.map((group) => ({ ...group, lease })),
      postponed: plan.postpone.length,
      cancelled: plan.cancel.length,
    };
  });
}

async function postpone(tx: TransactionSql, rows: { id: number; until: Date }[]) {
  if (!rows.length) return;
  await tx`
    update alert_outbox o set next_attempt_at = p.until
    from unnest(${rows.map((r) => r.id)}::bigint[], ${
    rows.map((r) => r.until.toISOString())
  }::timestamptz[])
      as p(id, until)
    where o.id = p.id`;
}

async function cancel(tx: TransactionSql, rows: { id: number; reason: string }[]) {
  if (!rows.length) return;
  await tx`
    update alert_outbox o set status = 'cancelled', finished_at = now(), last_error = c.reason
    from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.reason)}::text[])
      as c(id, reason)
    where o.id = c.id`;
}

/** Keys whose alerts collapse within the cooldown: not digests (one a day), not lone rows. */
function hasCooldown(collapseKey: string): boolean {
  return collapseKey !== "" && !isDigestKey(collapseKey);
}

export interface ClaimPlan {
  send: ClaimedGroup[];
  postpone: { id: number; until: Date }[];
  cancel: { id: number; reason: string }[];
}

/**
 * What to do with claimed rows (pure): cancel those of inactive chats and those older than
 * maxAgeHours (a digest row's age counts from its digest time), postpone those of muted chats
 * (to the mute's end) and those whose collapse key had a message within the cooldown (to the
 * last message + cooldown, where they collapse with what came meanwhile), send the rest grouped
 * by chat and collapse key. A chat unknown to telegram_chat is sent to: Telegram will say.
 */
export function planClaim(
  rows: readonly OutboxRow[],
  chats: ReadonlyMap<number, { active: boolean; mutedUntil: Date | null }>,
  lastSent: ReadonlyMap<string, Date>,
  now: Date,
  policy: DuePolicy,
): ClaimPlan {
  const plan: ClaimPlan = { send: [], postpone: [], cancel: [] };
  const groups = new Map<string, ClaimedGroup>();
  for (const row of rows) {
    const chat = chats.get(row.chatId);
    if (chat && !chat.active) {
      plan.cancel.push({ id: row.id, reason: "chat inactive" });
      continue;
    }
    if (now.getTime() - ageBase(row, policy).getTime() > policy.maxAgeHours * 3_600_000) {
      plan.cancel.push({ id: row.id, reason: `not delivered within ${policy.maxAgeHours} h` });
      continue;
    }
    if (chat?.mutedUntil && chat.mutedUntil > now) {
      plan.postpone.push({ id: row.id, until: chat.mutedUntil });
      continue;
    }
    const last = hasCooldown(row.collapseKey) ? lastSent.get(row.collapseKey) : undefined;
    const cooledAt = last && new Date(last.getTime() + policy.cooldownMinutes * 60_000);
    if (cooledAt && cooledAt > now) {
      plan.postpone.push({ id: row.id, until: cooledAt });
      continue;
    }
    const key = `${row.chatId}\u0000${row.collapseKey || `row:${row.id}`}`;
    let group = groups.get(key);
    if (!group) {
      groups.set(key, group = { chatId: row.chatId, collapseKey: row.collapseKey, rows: [] });
      plan.send.push(group);
    }
    group.rows.push(row);
  }
  return plan;
}

/** When a row's age starts: its digest time for digest rows ("digest:CHAT:DAY"), else creation. */
function ageBase(row: OutboxRow, policy: DuePolicy): Date {
  const day = isDigestKey(row.collapseKey) && /:(\d{4}-\d{2}-\d{2})$/.exec(row.collapseKey)?.[1];
  if (!day) return row.createdAt;
  const due = new Date(`${day}T${String(policy.digestHourUtc).padStart(2, "0")}:00:00Z`);
  return Number.isNaN(due.getTime()) || due < row.createdAt ? row.createdAt : due;
}

/**
 * Opens the attempt for a message, before its HTTP call, in one statement: only if its rows are
 * still held under this claim's lease (a recovery may have released them, and another claim
 * taken them since). Locks the rows meanwhile, so a concurrent recovery skips them and then sees
 * the open attempt. Returns the attempt id, or null: the rows are no longer ours, don't send.
 */
export async function beginAttempt(
  sql: Sql,
  chatId: number,
  rowIds: number[],
  lease: string,
): Promise<number | null> {
  const [attempt] = await sql<{ id: number }[]>`
    insert into alert_delivery_attempt (chat_id, outbox_ids)
    select ${chatId}, ${rowIds}::bigint[]
    where (
      select count(*) from (
        select id from alert_outbox
        where id = any(${rowIds}::bigint[]) and status = 'sending'
          and next_attempt_at = ${lease}::timestamptz
        for update
      ) held
    ) = ${rowIds.length}
    returning id`;
  return attempt?.id ?? null;
}

/** What an attempt came to, as the outbox records it. */
export type DeliveryResult =
  | { outcome: "sent"; messageId: number }
  /** 429: back to pending after retry_after; not counted as an attempt against the maximum. */
  | { outcome: "rate_limited"; retryAfterSeconds: number; error: string }
  /** Transient failure: back to pending after `delayMs`. */
  | { outcome: "retry"; delayMs: number; status: number | null; error: string }
  | { outcome: "failed"; status: number | null; error: string }
  /** The chat can't receive: it is deactivated and its pending alerts cancelled. */
  | { outcome: "blocked"; reason: "blocked" | "not_found"; status: number; error: string }
  /** No answer: may have been delivered, never sent again. */
  | { outcome: "unknown"; error: string }
  /** Refused before Telegram looked at the message (the token): back to pending, uncounted. */
  | { outcome: "released"; status: number | null; error: string };

export interface RecordedCounts {
  /** Other pending rows of a blocked chat, cancelled with it. */
  cancelled: number;
  /** Whether this answer deactivated the chat. */
  deactivated: boolean;
}

const ATTEMPT_OUTCOME: Record<DeliveryResult["outcome"], string> = {
  sent: "sent",
  rate_limited: "rate_limited",
  retry: "retry",
  failed: "failed",
  blocked: "blocked",
  unknown: "failed",
  released: "failed",
};

/**
 * Records an attempt's answer and its rows' new state atomically (one statement; a transaction
 * when a blocked chat is deactivated too), right after Telegram answered. Never fenced: it
 * records what already happened.
 */
export async function finishAttempt(
  sql: Sql,
  attemptId: number,
  chatId: number,
  rowIds: number[],
  result: DeliveryResult,
): Promise<RecordedCounts> {
  const r = result;
  const error = "error" in r ? r.error.slice(0, 1000) : null;
  const ids = rowIds;
  const attempt = sql`
    update alert_delivery_attempt set finished_at = now(),
      outcome = ${ATTEMPT_OUTCOME[r.outcome]},
      http_status = ${r.outcome === "rate_limited" ? 429 : "status" in r ? r.status : null},
      retry_after_seconds = ${r.outcome === "rate_limited" ? r.retryAfterSeconds : null},
      error = ${error},
      telegram_message_id = ${r.outcome === "sent" ? r.messageId : null}
    where id = ${attemptId}`;
  const held = sql`id = any(${ids}::bigint[]) and status = 'sending'`;
  let rows;
  switch (r.outcome) {
    case "sent":
      // 'unknown' too: a recovery may have given up on it while the answer was on its way.
      rows = sql`
        update alert_outbox set status = 'sent', sent_at = now(), finished_at = now(),
          telegram_message_id = ${r.messageId}, attempts = attempts + 1, last_error = null
        where id = any(${ids}::bigint[]) and status in ('sending', 'unknown')`;
      break;
    case "rate_limited":
      rows = sql`
        update alert_outbox set status = 'pending', last_error = ${error},
          next_attempt_at = now() + ${r.retryAfterSeconds} * interval '1 second'
        where ${held}`;
      break;
    case "retry":
      rows = sql`
        update alert_outbox set status = 'pending', attempts = attempts + 1, last_error = ${error},
          next_attempt_at = now() + ${r.delayMs} * interval '1 millisecond'
        where ${held}`;
      break;
    case "released":
      rows = sql`
        update alert_outbox set status = 'pending', next_attempt_at = now(), last_error = ${error}
        where ${held}`;
      break;
    case "failed":
    case "unknown":
      rows = sql`
        update alert_outbox set status = ${r.outcome}, attempts = attempts + 1,
          finished_at = now(), last_error = ${error}
        where ${held}`;
      break;
    case "blocked":
      return await sql.begin(async (tx) => {
        await tx`
          with attempt as (${attempt})
          update alert_outbox set status = 'cancelled', attempts = attempts + 1,
            finished_at = now(), last_error = ${error}
          where ${held}`;
        const deactivated = await deactivateChat(tx, chatId, r.reason);
        const cancelled = await tx`
          update alert_outbox set status = 'cancelled', finished_at = now(),
            last_error = ${`chat ${r.reason}`}
          where chat_id = ${chatId} and status = 'pending'
          returning id`;
        return { deactivated, cancelled: cancelled.length };
      });
  }
  await sql`with attempt as (${attempt}) ${rows}`;
  return { cancelled: 0, deactivated: false };
}

/** Puts claimed rows that were never attempted back to pending, due now (if still ours). */
export async function releaseClaims(sql: Sql, rowIds: number[], lease: string): Promise<number> {
  if (!rowIds.length) return 0;
  const rows = await sql`
    update alert_outbox set status = 'pending', next_attempt_at = now()
    where id = any(${rowIds}::bigint[]) and status = 'sending'
      and next_attempt_at = ${lease}::timestamptz
    returning id`;
  return rows.length;
}

/** Gives up on claimed rows no message can be made of (a malformed payload). */
export async function failClaims(sql: Sql, rowIds: number[], error: string): Promise<number> {
  const rows = await sql`
    update alert_outbox set status = 'failed', finished_at = now(), last_error = ${error}
    where id = any(${rowIds}::bigint[]) and status = 'sending'
    returning id`;
  return rows.length;
}

export interface Recovered {
  /** Rows whose attempt was open: may have been delivered, now 'unknown'. */
  unknown: number;
  /** Rows claimed but never attempted: back to 'pending'. */
  released: number;
}

/**
 * Recovers rows a claimer left 'sending': those whose lease ran out, or with `all`, every one —
 * which only the job's exclusive run may do at its start, when no other claimer can be alive
 * (a stalled former run can no longer open attempts: its fence refuses them). A row in an open
 * attempt becomes 'unknown' (its attempt is closed with that reason); any other row was never
 * sent and goes back to 'pending'.
 */
export async function recoverSending(sql: Sql, options: { all: boolean }): Promise<Recovered> {
  return await sql.begin(async (tx) => {
    const stuck = await tx<{ id: number }[]>`
      select id from alert_outbox
      where status = 'sending' and (${options.all} or next_attempt_at <= now())
      for update skip locked`;
    if (!stuck.length) return { unknown: 0, released: 0 };
    const ids = stuck.map((r) => r.id);
    const open = await tx<{ id: number; outbox_ids: number[] }[]>`
      update alert_delivery_attempt set finished_at = now(),
        error = 'no answer recorded: the sender stopped during the call (may have been delivered)'
      where finished_at is null and outbox_ids && ${ids}::bigint[]
      returning id, outbox_ids`;
    const inFlight = [...new Set(open.flatMap((a) => a.outbox_ids))].filter((id) =>
      ids.includes(id)
    );
    const unknown = inFlight.length === 0 ? [] : await tx`
      update alert_outbox set status = 'unknown', finished_at = now(),
        last_error = 'the sender stopped during the call: may have been delivered, not sent again'
      where id = any(${inFlight}::bigint[]) and status = 'sending'
      returning id`;
    const released = await tx`
      update alert_outbox set status = 'pending', next_attempt_at = now()
      where id = any(${ids}::bigint[]) and status = 'sending'
      returning id`;
    return { unknown: unknown.length, released: released.length };
  });
}

/** When the next pending row comes due (null: none is pending). */
export async function nextDueAt(sql: Sql): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`
    select min(next_attempt_at) as at from alert_outbox where status = 'pending'`;
  return row.at;
}

/** Pending rows by whether they are due now (for the outbox-only default's log line). */
export async function countPending(sql: Sql): Promise<{ due: number; later: number }> {
  const [row] = await sql<{ due: number; later: number }[]>`
    select count(*) filter (where next_attempt_at <= now()) as due,
      count(*) filter (where next_attempt_at > now()) as later
    from alert_outbox where status = 'pending'`;
  return row;
}
