import assert from "node:assert/strict";
import { insertAlerts, insertChats, statusCounts } from "../../tests/support/alerts_fixtures.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import {
  beginAttempt,
  claimDue,
  type ClaimRequest,
  finishAttempt,
  type OutboxRow,
  planClaim,
  recoverSending,
  releaseClaims,
} from "./outbox.ts";

const POLICY = { cooldownMinutes: 60, maxAgeHours: 24, digestHourUtc: 22 };
const NOW = new Date("2024-03-02T10:00:00Z");
const HOUR = 3_600_000;

function row(id: number, overrides: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id,
    chatId: 1,
    idempotencyKey: `k${id}`,
    collapseKey: `1:1:${id}`,
    payload: { kind: "job_failure", job: "crawl", runId: null, error: "x", at: "2024-03-02" },
    attempts: 0,
    createdAt: new Date(NOW.getTime() - HOUR),
    nextAttemptAt: NOW,
    ...overrides,
  };
}

Deno.test("planClaim: inactive chats and stale alerts cancelled, muted and cooling postponed", () => {
  const mutedUntil = new Date(NOW.getTime() + 2 * HOUR);
  const plan = planClaim(
    [
      row(1, { chatId: 5 }),
      row(2, { chatId: 6 }),
      row(3, { createdAt: new Date(NOW.getTime() - 25 * HOUR) }),
      row(4, { collapseKey: "1:7:7" }),
      row(5, { collapseKey: "1:8:8" }),
      row(6, { collapseKey: "1:8:8" }),
      row(7, { collapseKey: "" }),
      row(8, { collapseKey: "" }),
    ],
    new Map([
      [5, { active: false, mutedUntil: null }],
      [6, { active: true, mutedUntil }],
    ]),
    new Map([
      ["1:7:7", new Date(NOW.getTime() - 20 * 60_000)], // cooling until +40 min
      ["1:8:8", new Date(NOW.getTime() - 61 * 60_000)], // cooled
    ]),
    NOW,
    POLICY,
  );
  assert.deepEqual(plan.cancel, [
    { id: 1, reason: "chat inactive" },
    { id: 3, reason: "not delivered within 24 h" },
  ]);
  assert.deepEqual(plan.postpone, [
    { id: 2, until: mutedUntil },
    { id: 4, until: new Date(NOW.getTime() + 40 * 60_000) },
  ]);
  assert.deepEqual(plan.send.map((g) => g.rows.map((r) => r.id)), [[5, 6], [7], [8]]);
});

Deno.test("planClaim: a digest's age counts from its digest time, and digests have no cooldown", () => {
  const digest = "digest:1:2024-03-01"; // due 2024-03-01 22:00, 12 h before NOW
  const plan = planClaim(
    [
      row(1, { collapseKey: digest, createdAt: new Date(NOW.getTime() - 30 * HOUR) }),
      row(2, {
        collapseKey: "digest:1:2024-02-28",
        createdAt: new Date(NOW.getTime() - 40 * HOUR),
      }),
    ],
    new Map(),
    new Map([[digest, new Date(NOW.getTime() - 60_000)]]),
    NOW,
    POLICY,
  );
  assert.deepEqual(plan.send.map((g) => g.rows.map((r) => r.id)), [[1]]);
  assert.deepEqual(plan.cancel.map((c) => c.id), [2]);
});

function request(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    groups: 100,
    rowsPerGroup: 50,
    excludeChats: [],
    leaseMs: 60_000,
    policy: POLICY,
    ...overrides,
  };
}

Deno.test("claimDue: one collapse key per chat, the earliest due, never a chat excluded", async () => {
  await using db = await openTestDatabase();
  const earlier = new Date(Date.now() - 60_000);
  await insertAlerts(db.sql, [
    { chatId: 1, key: "a1", collapseKey: "1:x" },
    { chatId: 1, key: "b1", collapseKey: "1:y", nextAttemptAt: earlier },
    { chatId: 1, key: "b2", collapseKey: "1:y" },
    { chatId: 1, key: "b3", collapseKey: "1:y" },
    { chatId: 2, key: "c1", collapseKey: "2:x" },
    { chatId: 3, key: "d1", collapseKey: "3:x" },
    { chatId: 4, key: "later", nextAttemptAt: new Date(Date.now() + 60_000) },
  ]);
  const claimed = await claimDue(db.sql, request({ excludeChats: [3], rowsPerGroup: 2 }));
  assert.deepEqual(
    claimed.groups.map((g) => [g.chatId, g.collapseKey, g.rows.map((r) => r.idempotencyKey)]),
    [[1, "1:y", ["b1", "b2"]], [2, "2:x", ["c1"]]],
  );
  assert.ok(claimed.groups.every((g) => g.lease === claimed.groups[0].lease));
  assert.deepEqual(await statusCounts(db.sql), { sending: 3, pending: 4 });
  // The next claim: chat 1's next key (b3 left over, a1: due at the same time, "1:x" first by
  // key), and chat 3, no longer excluded; chat 2 has nothing due.
  const next = await claimDue(db.sql, request());
  assert.deepEqual(
    next.groups.map((g) => [g.chatId, g.rows.map((r) => r.idempotencyKey)]),
    [[1, ["a1"]], [3, ["d1"]]],
  );
});

Deno.test("claimDue: concurrent claimers never take the same rows", async () => {
  await using db = await openTestDatabase();
  await insertAlerts(
    db.sql,
    Array.from({ length: 200 }, (_, i) => ({ chatId: 1 + (i % 50), key: `k${i}` })),
  );
  const claims = await Promise.all(
    Array.from({ length: 4 }, () => claimDue(db.sql, request({ groups: 20 }))),
  );
  const ids = claims.flatMap((c) => c.groups.flatMap((g) => g.rows.map((r) => r.id)));
  assert.equal(new Set(ids).size, ids.length, "no row claimed twice");
  const chats = claims.flatMap((c) => c.groups.map((g) => g.chatId));
  assert.equal(ids.length, (await statusCounts(db.sql)).sending);
  assert.ok(chats.length > 0);
});

Deno.test("an attempt opens only on rows still held under the claim's lease", async () => {
  await using db = await openTestDatabase();
  await insertAlerts(db.sql, [{ chatId: 1, key: "a" }]);
  const [group] = (await claimDue(db.sql, request())).groups;
  const ids = group.rows.map((r) => r.id);
  assert.equal(await beginAttempt(db.sql, 1, ids, new Date(0).toISOString()), null);
  // Released and claimed again: the first claim's lease no longer holds them.
  assert.equal(await releaseClaims(db.sql, ids, group.lease), 1);
  const [again] = (await claimDue(db.sql, request({ leaseMs: 90_000 }))).groups;
  assert.equal(await beginAttempt(db.sql, 1, ids, group.lease), null);
  const attempt = await beginAttempt(db.sql, 1, ids, again.lease);
  assert.ok(attempt !== null);
  await finishAttempt(db.sql, attempt, 1, ids, { outcome: "sent", messageId: 77 });
  const [sent] = await db.sql`select status, telegram_message_id, attempts from alert_outbox`;
  assert.deepEqual({ ...sent }, { status: "sent", telegram_message_id: 77, attempts: 1 });
});

Deno.test("recovery: rows in an open attempt become 'unknown', claimed-only rows pending", async () => {
  await using db = await openTestDatabase();
  await insertChats(db.sql, [1, 2]);
  await insertAlerts(db.sql, [{ chatId: 1, key: "in-flight" }, { chatId: 2, key: "queued" }]);
  const { groups } = await claimDue(db.sql, request());
  const inFlight = groups.find((g) => g.chatId === 1)!;
  const ids = inFlight.rows.map((r) => r.id);
  const attempt = await beginAttempt(db.sql, 1, ids, inFlight.lease);
  assert.ok(attempt !== null);
  // The leases have not run out: only a recovery of everything (at a run's start) takes them.
  assert.deepEqual(await recoverSending(db.sql, { all: false }), { unknown: 0, released: 0 });
  assert.deepEqual(await recoverSending(db.sql, { all: true }), { unknown: 1, released: 1 });
  const rows = await db.sql`select idempotency_key, status from alert_outbox order by id`;
  assert.deepEqual(rows.map((r) => [r.idempotency_key, r.status]), [
    ["in-flight", "unknown"],
    ["queued", "pending"],
  ]);
  const [closed] = await db.sql`
    select finished_at is not null as closed, error from alert_delivery_attempt`;
  assert.equal(closed.closed, true);
  assert.match(closed.error, /may have been delivered/);
  // An answer that arrives after all is still recorded: the alert was delivered.
  await finishAttempt(db.sql, attempt, 1, ids, { outcome: "sent", messageId: 5 });
  const [late] = await db.sql`select status from alert_outbox where idempotency_key = 'in-flight'`;
  assert.equal(late.status, "sent");
});

Deno.test("recovery after the lease ran out", async () => {
  await using db = await openTestDatabase();
  await insertAlerts(db.sql, [{ chatId: 1, key: "a" }]);
  await claimDue(db.sql, request({ leaseMs: 1 }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await recoverSending(db.sql, { all: false }), { unknown: 0, released: 1 });
});
