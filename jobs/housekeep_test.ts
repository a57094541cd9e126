import assert from "node:assert/strict";
import { openTestContext } from "../tests/support/context.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { createHousekeepJob } from "./housekeep.ts";

const DAY = 86_400_000;

Deno.test("housekeep deletes only history past its retention, and a rerun finds nothing", async () => {
  await using db = await openTestDatabase();
  await using app = await openTestContext({ db, log: createLogger("error", () => {}) });
  const { sql } = db;
  const ago = (days: number) => new Date(Date.now() - days * DAY);

  // Job runs: finished 100 and 10 days ago (retention 90), and one still running.
  for (const days of [100, 10]) {
    await sql`insert into job_run (job, status, started_at, finished_at)
      values ('crawl', 'succeeded', ${ago(days)}, ${ago(days)})`;
  }
  await sql`insert into job_run (job, status, started_at) values ('embed', 'running', ${ago(200)})`;
  // Alerts: an old sent one, an old pending one (never deleted: it may still go), a recent one.
  const alert = (key: string, status: string, days: number) =>
    sql`insert into alert_outbox (chat_id, idempotency_key, payload, status, sent_at,
        created_at, finished_at)
      values (1, ${key}, '{}', ${status}, ${status === "sent" ? ago(days) : null}, ${ago(days)},
        ${status === "pending" ? null : ago(days)})`;
  await alert("old-sent", "sent", 120);
  await alert("old-pending", "pending", 120);
  await alert("new-sent", "sent", 5);
  for (const days of [95, 3]) {
    await sql`insert into alert_delivery_attempt (chat_id, outbox_ids, started_at)
      values (1, '{}', ${ago(days)})`;
  }
  // Sessions: expired 8 days ago (past the week's grace) and yesterday (kept).
  const [user] = await sql<{ id: number }[]>`
    insert into app_user (email, password_hash) values ('a@example.com', 'x') returning id`;
  for (const [hash, days] of [["gone", 8], ["kept", 1]] as const) {
    await sql`insert into session (user_id, family, refresh_token_hash, created_at, expires_at)
      values (${user.id}, ${crypto.randomUUID()}, ${hash}, ${ago(days + 30)}, ${ago(days)})`;
  }
  // Link codes: expired two days ago (gone) and valid (kept).
  await sql`insert into telegram_link_code (code_hash, user_id, created_at, expires_at)
    values ('old', ${user.id}, ${ago(3)}, ${ago(2)}),
      ('new', ${user.id}, now(), ${new Date(Date.now() + 600_000)})`;

  const job = createHousekeepJob();
  const first = await runJob(job, app);
  assert.equal(first.status, "succeeded");
  assert.ok(first.status === "succeeded");
  assert.deepEqual(first.counts, {
    "deleted.job_run": 1,
    "deleted.alert_delivery_attempt": 1,
    "deleted.alert_outbox": 1,
    "deleted.session": 1,
    "deleted.telegram_link_code": 1,
  });
  const keys = await sql<{ idempotency_key: string }[]>`
    select idempotency_key from alert_outbox order by idempotency_key`;
  assert.deepEqual(keys.map((k) => k.idempotency_key), ["new-sent", "old-pending"]);
  const runs = await sql<{ status: string }[]>`select status from job_run order by id`;
  // The 10-day run, the running one, and the housekeep run itself.
  assert.deepEqual(runs.map((r) => r.status), ["succeeded", "running", "succeeded"]);
  const sessions = await sql`select refresh_token_hash from session`;
  assert.deepEqual(sessions.map((s) => s.refresh_token_hash), ["kept"]);
  const codes = await sql`select code_hash from telegram_link_code`;
  assert.deepEqual(codes.map((c) => c.code_hash), ["new"]);

  const second = await runJob(job, app);
  assert.ok(second.status === "succeeded");
  assert.ok(Object.values(second.counts).every((n) => n === 0), JSON.stringify(second.counts));
});
