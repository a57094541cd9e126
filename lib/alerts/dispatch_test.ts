// The dispatcher against a real database (Postgres with DATABASE_URL, else embedded) and the local
// Bot API server over real HTTP, which enforces Telegram's limits (scaled to keep tests short).
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { openTestDatabase } from "../../tests/support/database.ts";
import {
  type FakeTelegram,
  type FakeTelegramLimits,
  startFakeTelegram,
} from "../../tests/support/fake_telegram.ts";
import {
  chatIds,
  deliveriesByKey,
  insertAlerts,
  insertChats,
  spreadAlerts,
  statusCounts,
} from "../../tests/support/alerts_fixtures.ts";
import { createLogger } from "../log.ts";
import { DRAIN_DEFAULTS, type DrainOptions, drainOutbox, TokenRejected } from "./dispatch.ts";
import { DEFAULT_RETRY } from "./rate_limiter.ts";
import { TelegramAlertSender } from "./sender.ts";

const quiet = createLogger("error", () => {});

/** Scaled limits: 500/s overall, 10/s per chat, 5 per 2 s per group (the group limit binds). */
const SCALED: FakeTelegramLimits = {
  global: { count: 500, windowMs: 1000 },
  chat: { count: 10, windowMs: 1000 },
  group: { count: 5, windowMs: 2000 },
};

function options(overrides: Partial<DrainOptions> = {}): DrainOptions {
  return {
    ...DRAIN_DEFAULTS,
    concurrency: 16,
    lingerMs: 3_000,
    limits: SCALED,
    policy: { cooldownMinutes: 60, maxAgeHours: 24, digestHourUtc: 22 },
    retry: { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 400 },
    publicUrl: "https://craveny.example",
    signal: new AbortController().signal,
    log: quiet,
    ...overrides,
  };
}

function sender(tg: FakeTelegram, timeoutMs?: number) {
  return new TelegramAlertSender(tg.token, { apiRoot: tg.apiRoot, timeoutMs });
}

async function rows(sql: Sql) {
  return await sql<
    {
      idempotency_key: string;
      status: string;
      telegram_message_id: number | null;
      attempts: number;
    }[]
  >`select idempotency_key, status, telegram_message_id, attempts from alert_outbox order by id`;
}

Deno.test("10,000 alerts to 1,000 chats: each delivered exactly once, no limit exceeded", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  const ids = chatIds(1000, 100);
  await insertChats(db.sql, ids);
  await insertAlerts(db.sql, spreadAlerts(10_000, 1000, 100, 30)); // 30 per group, ~7.8 per private chat

  const counts = await drainOutbox(db.sql, sender(tg), options());

  assert.deepEqual(
    {
      sent: counts.sent,
      messages: counts.messages,
      unknown: counts.unknown,
      failed: counts.failed,
    },
    { sent: 10_000, messages: 10_000, unknown: 0, failed: 0 },
  );
  const delivered = deliveriesByKey(tg.messages);
  assert.equal(delivered.size, 10_000, "every alert delivered");
  assert.deepEqual([...new Set(delivered.values())], [1], "none twice");
  assert.deepEqual(await statusCounts(db.sql), { sent: 10_000 });
  // The recorded message ids are Telegram's, one per row.
  const byMessage = new Map(tg.messages.map((m) => [m.messageId, m]));
  for (const row of await rows(db.sql)) {
    const message = byMessage.get(row.telegram_message_id!);
    assert.ok(message?.plainText.includes(`alert:${row.idempotency_key} `), row.idempotency_key);
  }
  const stats = tg.stats();
  assert.equal(stats.tooManyRequests, 0, "never rate limited");
  assert.ok(stats.attempted.global <= SCALED.global.count, `${stats.attempted.global}/s overall`);
  assert.ok(stats.attempted.chat <= SCALED.chat.count, `${stats.attempted.chat}/s in a chat`);
  assert.ok(stats.attempted.group <= SCALED.group.count, `${stats.attempted.group} in a group`);
  assert.equal(
    stats.attempted.group,
    SCALED.group.count,
    "the group limit was reached, not passed",
  );
  const [{ attempts }] = await db.sql<{ attempts: number }[]>`
    select count(*) as attempts from alert_delivery_attempt where outcome = 'sent'`;
  assert.equal(attempts, 10_000);
});

Deno.test("a blocked chat is deactivated and its other alerts cancelled", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertChats(db.sql, [1, 2]);
  await insertAlerts(db.sql, [
    ...["b1", "b2", "b3"].map((key) => ({ chatId: 1, key })),
    ...["ok1", "ok2"].map((key) => ({ chatId: 2, key })),
  ]);
  tg.blockChat(1);

  const counts = await drainOutbox(db.sql, sender(tg), options());

  assert.equal(counts.blocked, 1);
  assert.equal(counts.cancelled, 3);
  assert.equal(counts.sent, 2);
  const [chat] = await db.sql`
    select active, deactivated_reason from telegram_chat where chat_id = 1`;
  assert.deepEqual({ ...chat }, { active: false, deactivated_reason: "blocked" });
  assert.deepEqual(
    (await rows(db.sql)).map((r) => [r.idempotency_key, r.status]),
    [["b1", "cancelled"], ["b2", "cancelled"], ["b3", "cancelled"], ["ok1", "sent"], [
      "ok2",
      "sent",
    ]],
  );
  // One attempt reached Telegram for the blocked chat, recorded as such.
  const attempts = await db.sql`
    select outcome, http_status from alert_delivery_attempt where chat_id = 1`;
  assert.deepEqual(attempts.map((a) => ({ ...a })), [{ outcome: "blocked", http_status: 403 }]);
  assert.equal(tg.calls.filter((c) => c.chatId === 1).length, 1);
});

Deno.test("429 retry_after is honoured per chat, then the alerts go out", async () => {
  await using db = await openTestDatabase();
  // Telegram allows 1 per second per chat; the dispatcher believes 5: it meets 429s.
  await using tg = startFakeTelegram({
    limits: { ...SCALED, chat: { count: 1, windowMs: 1000 } },
  });
  await insertChats(db.sql, [7]);
  await insertAlerts(db.sql, ["r1", "r2", "r3"].map((key) => ({ chatId: 7, key })));

  const counts = await drainOutbox(
    db.sql,
    sender(tg),
    options({ limits: { ...SCALED, chat: { count: 5, windowMs: 1000 } } }),
  );

  assert.equal(counts.sent, 3);
  assert.ok(counts.rate_limited >= 1);
  assert.deepEqual([...deliveriesByKey(tg.messages).values()], [1, 1, 1]);
  // After each 429 (retry_after 1 s), the next call to the chat came at least 1 s later.
  const calls = tg.calls.filter((c) => c.method === "sendMessage");
  for (const [i, call] of calls.entries()) {
    if (call.status !== 429 || i + 1 >= calls.length) continue;
    assert.ok(calls[i + 1].at - call.at >= 1000, `${calls[i + 1].at - call.at} ms after a 429`);
  }
  const limited = await db.sql`
    select count(*)::int as n from alert_delivery_attempt
    where outcome = 'rate_limited' and retry_after_seconds = 1 and http_status = 429`;
  assert.equal(limited[0].n, counts.rate_limited);
  // 429s do not count against the attempt budget.
  assert.deepEqual((await rows(db.sql)).map((r) => r.attempts), [1, 1, 1]);
});

Deno.test("5xx answers (Telegram's 500, a proxy's 502) are retried with backoff", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertChats(db.sql, [3]);
  await insertAlerts(db.sql, [{ chatId: 3, key: "x1" }]);
  tg.failNext({ count: 1, status: 500 });
  tg.failNext({ count: 1, status: 502 });

  const counts = await drainOutbox(db.sql, sender(tg), options());

  assert.equal(counts.sent, 1);
  assert.equal(counts.retried, 2);
  const attempts = await db.sql`
    select outcome, http_status from alert_delivery_attempt order by id`;
  assert.deepEqual(attempts.map((a) => [a.outcome, a.http_status]), [
    ["retry", 500],
    ["retry", 502],
    ["sent", null],
  ]);
  assert.deepEqual((await rows(db.sql)).map((r) => [r.status, r.attempts]), [["sent", 3]]);
  assert.equal(tg.messages.length, 1);
});

Deno.test("a transient failure on the last attempt fails the alert", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertAlerts(db.sql, [{ chatId: 3, key: "x1" }]);
  tg.failNext({ count: 10, status: 500 });
  const counts = await drainOutbox(
    db.sql,
    sender(tg),
    options({ retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 50 } }),
  );
  assert.deepEqual([counts.retried, counts.failed, counts.sent], [1, 1, 0]);
  assert.deepEqual((await rows(db.sql)).map((r) => [r.status, r.attempts]), [["failed", 2]]);
});

Deno.test("no answer within the timeout: 'unknown', never sent again", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertAlerts(db.sql, [{ chatId: 4, key: "slow" }, { chatId: 5, key: "fine" }]);
  // Telegram takes the message but its answer never arrives in time.
  const stall = tg.stallNext({ method: "sendMessage", afterEffect: true });
  try {
    const counts = await drainOutbox(db.sql, sender(tg, 300), options({ concurrency: 1 }));
    assert.deepEqual([counts.unknown, counts.sent], [1, 1]);
  } finally {
    stall.release();
  }
  assert.deepEqual((await rows(db.sql)).map((r) => r.status), ["unknown", "sent"]);
  const again = await drainOutbox(db.sql, sender(tg), options());
  assert.equal(again.sent + again.unknown, 0);
  assert.deepEqual([...deliveriesByKey(tg.messages)], [["slow", 1], ["fine", 1]]);
});

Deno.test("a rejected token fails the drain clearly and leaves the alerts pending", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertAlerts(db.sql, spreadAlerts(20, 10, 0));
  tg.rejectToken();
  await assert.rejects(
    () => drainOutbox(db.sql, sender(tg), options()),
    (error) => error instanceof TokenRejected && /TELEGRAM_BOT_TOKEN/.test(error.message),
  );
  assert.deepEqual(await statusCounts(db.sql), { pending: 20 });
  assert.deepEqual((await rows(db.sql)).map((r) => r.attempts), Array(20).fill(0));
});

Deno.test("an abort stops sending, records what was in flight and leaves nothing 'sending'", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertAlerts(db.sql, spreadAlerts(600, 20, 0)); // 20 chats at 10/s each: about 3 s
  const controller = new AbortController();
  const watcher = setInterval(() => {
    if (tg.messages.length >= 100) controller.abort();
  }, 5);
  try {
    const counts = await drainOutbox(db.sql, sender(tg), options({ signal: controller.signal }));
    const status = await statusCounts(db.sql);
    assert.equal(status.sending, undefined);
    assert.equal(status.sent, counts.sent);
    assert.equal(status.sent, tg.messages.length, "every delivered message is recorded");
    assert.equal(status.pending, 600 - counts.sent);
    assert.ok(counts.sent < 600);
  } finally {
    clearInterval(watcher);
  }
  // The next drain delivers the rest, none twice.
  await drainOutbox(db.sql, sender(tg), options());
  const delivered = deliveriesByKey(tg.messages);
  assert.equal(delivered.size, 600);
  assert.deepEqual([...new Set(delivered.values())], [1]);
});

Deno.test("alerts of one collapse key due together go as one message, then wait out the cooldown", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertAlerts(db.sql, [
    { chatId: 9, key: "c1", collapseKey: "9:1:1" },
    { chatId: 9, key: "c2", collapseKey: "9:1:1" },
    { chatId: 9, key: "other", collapseKey: "9:2:1" },
  ]);
  const first = await drainOutbox(db.sql, sender(tg), options());
  assert.deepEqual([first.sent, first.messages], [3, 2]);
  assert.match(
    tg.messages[0].plainText,
    /^2 alerts within the cooldown\n\n[\s\S]*alert:c1 [\s\S]*alert:c2 /,
  );

  await insertAlerts(db.sql, [{ chatId: 9, key: "c3", collapseKey: "9:1:1" }]);
  const second = await drainOutbox(db.sql, sender(tg), options());
  assert.deepEqual([second.sent, second.postponed], [0, 1]);
  const [row] = await db.sql<{ status: string; wait: number }[]>`
    select status, extract(epoch from next_attempt_at - now()) / 60 as wait
    from alert_outbox where idempotency_key = 'c3'`;
  assert.equal(row.status, "pending");
  assert.ok(row.wait > 58 && row.wait <= 60, `${row.wait} min`);
});

Deno.test("muted chats wait, inactive chats and stale alerts are cancelled", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  await insertChats(db.sql, [11, 12]);
  await db
    .sql`update telegram_chat set muted_until = now() + interval '2 hours' where chat_id = 11`;
  await db.sql`
    update telegram_chat set active = false, deactivated_reason = 'stopped', deactivated_at = now()
    where chat_id = 12`;
  const day = 86_400_000;
  await insertAlerts(db.sql, [
    { chatId: 11, key: "muted" },
    { chatId: 12, key: "stopped" },
    { chatId: 13, key: "stale", createdAt: new Date(Date.now() - 2 * day) },
    { chatId: 13, key: "fresh" },
  ]);
  const counts = await drainOutbox(db.sql, sender(tg), options());
  assert.deepEqual([counts.sent, counts.postponed, counts.cancelled], [1, 1, 2]);
  assert.deepEqual((await rows(db.sql)).map((r) => [r.idempotency_key, r.status]), [
    ["muted", "pending"],
    ["stopped", "cancelled"],
    ["stale", "cancelled"],
    ["fresh", "sent"],
  ]);
  assert.deepEqual([...deliveriesByKey(tg.messages).keys()], ["fresh"]);
});

Deno.test("a digest too long for one message goes out in parts of whole alerts, in order", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: SCALED });
  const digest = (chatId: number) => `digest:${chatId}:${new Date().toISOString().slice(0, 10)}`;
  await insertAlerts(db.sql, [
    ...Array.from(
      { length: 40 },
      (_, i) => ({ chatId: 21, key: `d${i}`, collapseKey: digest(21) }),
    ),
    ...Array.from(
      { length: 40 },
      (_, i) => ({ chatId: 22, key: `e${i}`, collapseKey: digest(22) }),
    ),
  ]);
  tg.blockChat(22);

  const counts = await drainOutbox(db.sql, sender(tg), options());

  const parts = tg.messagesTo(21);
  assert.ok(parts.length > 1);
  assert.equal(counts.messages, parts.length);
  assert.deepEqual(
    parts.map((m) => m.plainText.split("\n")[0]),
    parts.map((m, i) =>
      `📰 Daily digest (${i + 1}/${parts.length}): ${m.plainText.split("alert:").length - 1} alerts`
    ),
  );
  const keys = parts.flatMap((m) => [...m.plainText.matchAll(/alert:(\S+)/g)].map((x) => x[1]));
  assert.deepEqual(keys, Array.from({ length: 40 }, (_, i) => `d${i}`));
  // The blocked chat: one call, then all of its digest cancelled.
  assert.equal(tg.calls.filter((c) => c.chatId === 22).length, 1);
  assert.deepEqual(await statusCounts(db.sql), { sent: 40, cancelled: 40 });
});
