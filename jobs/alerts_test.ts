// The alerts job through the real runner: without a token it only counts what waits; a rejected
// token fails the run clearly; a run recovers what a dead run left 'sending'; and a real child
// process running the job, killed mid-run (SIGKILL, then SIGTERM) and restarted, never sends an
// alert twice and accounts for every one.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { TelegramAlertSender } from "../lib/alerts/sender.ts";
import { DRAIN_DEFAULTS } from "../lib/alerts/dispatch.ts";
import { loadConfig } from "../lib/config.ts";
import { openEmbedded } from "../lib/db/embedded.ts";
import type { Database } from "../lib/db/port.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import {
  deliveriesByKey,
  insertAlerts,
  insertChats,
  spreadAlerts,
  statusCounts,
} from "../tests/support/alerts_fixtures.ts";
import { openTestContext } from "../tests/support/context.ts";
import { openTestDatabase, type TestDatabase } from "../tests/support/database.ts";
import { type FakeTelegram, startFakeTelegram } from "../tests/support/fake_telegram.ts";
import { createAlertsJob } from "./alerts.ts";

const quiet = createLogger("error", () => {});

/** Limits for the child runs, in the app's own variables, and the same enforced by the fake. */
const LIMIT_ENV = {
  TELEGRAM_MESSAGES_PER_SECOND: "200",
  TELEGRAM_CHAT_MESSAGES_PER_SECOND: "20",
  TELEGRAM_GROUP_MESSAGES_PER_MINUTE: "600",
};
const FAKE_LIMITS = {
  global: { count: 200, windowMs: 1000 },
  chat: { count: 20, windowMs: 1000 },
  group: { count: 600, windowMs: 60_000 },
};

function telegramEnv(tg: FakeTelegram) {
  return { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, ...LIMIT_ENV };
}

Deno.test("without a bot token the job counts what waits and sends nothing", async () => {
  await using app = await openTestContext();
  await insertAlerts(app.db.sql, spreadAlerts(5, 5, 0));
  const outcome = await runJob(createAlertsJob(), app);
  assert.equal(outcome.status, "succeeded");
  assert.deepEqual(outcome.status === "succeeded" && outcome.counts, { "skipped.no_token": 5 });
  assert.deepEqual(await statusCounts(app.db.sql), { pending: 5 });
  assert.ok(
    app.logs.some((line) => /alerts wait in the outbox/.test(line) && /"due":5/.test(line)),
  );
});

Deno.test("a rejected token fails the run with a clear error; the alerts stay pending", async () => {
  await using tg = startFakeTelegram({ limits: FAKE_LIMITS });
  tg.rejectToken();
  const config = loadConfig(telegramEnv(tg));
  await using app = await openTestContext({
    config,
    alertSender: new TelegramAlertSender(tg.token, { apiRoot: tg.apiRoot }),
  });
  await insertAlerts(app.db.sql, spreadAlerts(3, 3, 0));
  const outcome = await runJob(createAlertsJob(), app);
  assert.equal(outcome.status, "failed");
  assert.match(
    outcome.status === "failed" ? outcome.error : "",
    /Telegram rejected the bot token \(401 Unauthorized\): check TELEGRAM_BOT_TOKEN/,
  );
  assert.deepEqual(await statusCounts(app.db.sql), { pending: 3 });
  assert.ok(!app.logs.some((line) => line.includes(tg.token.split(":")[1])), "token not logged");
});

Deno.test("a run settles what an earlier run left 'sending', then delivers the rest", async () => {
  await using tg = startFakeTelegram({ limits: FAKE_LIMITS });
  await using app = await openTestContext({
    config: loadConfig(telegramEnv(tg)),
    alertSender: new TelegramAlertSender(tg.token, { apiRoot: tg.apiRoot }),
  });
  const { sql } = app.db;
  await insertAlerts(sql, spreadAlerts(3, 3, 0));
  // A dead run's leftovers: a0 was being sent (its attempt open), a1 only claimed.
  await sql`
    update alert_outbox set status = 'sending', next_attempt_at = now() + interval '1 hour'
    where idempotency_key in ('a0', 'a1')`;
  await sql`
    insert into alert_delivery_attempt (chat_id, outbox_ids)
    select chat_id, array[id] from alert_outbox where idempotency_key = 'a0'`;
  const outcome = await runJob(createAlertsJob(), app);
  assert.equal(outcome.status, "succeeded");
  const counts = outcome.status === "succeeded" ? outcome.counts : {};
  assert.deepEqual([counts.sent, counts.unknown], [2, 1]);
  const rows = await sql`select idempotency_key, status from alert_outbox order by id`;
  assert.deepEqual(rows.map((r) => [r.idempotency_key, r.status]), [
    ["a0", "unknown"],
    ["a1", "sent"],
    ["a2", "sent"],
  ]);
});

/** The test database, handed to child processes and read back between their runs. */
interface SharedDatabase {
  env: Record<string, string>;
  /** The test's own connection; embedded: only while no child holds the data directory. */
  open(): Promise<Sql>;
  /** Embedded: closes the test's connection so a child can take the data directory. */
  release(): Promise<void>;
}

function share(db: TestDatabase): SharedDatabase {
  if (db.kind === "postgres") {
    const url = new URL(Deno.env.get("DATABASE_URL")!);
    url.pathname = `/${db.location}`;
    return {
      env: { DATABASE_URL: url.href },
      open: () => Promise.resolve(db.sql),
      release: () => Promise.resolve(),
    };
  }
  let current: Database | null = db;
  return {
    env: { DATABASE_URL: "", DATA_DIR: db.location },
    async open() {
      current ??= await openEmbedded(db.location, quiet);
      return current.sql;
    },
    async release() {
      await current?.close();
      current = null;
    },
  };
}

interface Child {
  process: Deno.ChildProcess;
  output: Promise<{ code: number; stdout: string; stderr: string }>;
}

function startChild(env: Record<string, string>): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../tests/support/alerts_job_child.ts", import.meta.url).pathname],
    env: {
      ...env,
      // Only what the test gives: no shared Redis or Milvus, no API keys from the environment.
      REDIS_URL: "",
      MILVUS_ADDRESS: "",
      OPENAI_API_KEY: "",
      OPENROUTER_API_KEY: "",
      LOG_LEVEL: "warn",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = process.output().then((o) => ({
    code: o.code,
    stdout: new TextDecoder().decode(o.stdout),
    stderr: new TextDecoder().decode(o.stderr),
  }));
  return { process, output };
}

/** Waits until the fake has delivered `count` messages (or the child ended first: fails). */
async function deliveredAtLeast(tg: FakeTelegram, count: number, child: Child) {
  let ended = false;
  child.output.then(() => ended = true);
  const deadline = Date.now() + 120_000;
  while (tg.messages.length < count) {
    if (ended) assert.fail(`the job ended first: ${JSON.stringify(await child.output)}`);
    if (Date.now() > deadline) assert.fail(`only ${tg.messages.length} delivered`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const TOTAL = 2000;

async function seed(shared: SharedDatabase) {
  const sql = await shared.open();
  await insertChats(sql, Array.from({ length: 200 }, (_, i) => (i < 180 ? 1001 + i : -(1001 + i))));
  await insertAlerts(sql, spreadAlerts(TOTAL, 200, 20));
  await shared.release();
}

async function outboxRows(sql: Sql) {
  return await sql<{ key: string; status: string; telegram_message_id: number | null }[]>`
    select idempotency_key as key, status, telegram_message_id from alert_outbox`;
}

Deno.test("SIGKILL mid-run, restart: no alert twice, each sent or 'unknown', unknown within the in-flight bound", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: FAKE_LIMITS });
  const shared = share(db);
  await seed(shared);
  const env = { ...shared.env, ...telegramEnv(tg) };

  const first = startChild(env);
  await deliveredAtLeast(tg, 500, first);
  first.process.kill("SIGKILL");
  assert.notEqual((await first.output).code, 0);
  const atKill = tg.messages.length;
  assert.ok(atKill < TOTAL, "killed mid-run");

  const second = startChild(env);
  const { code, stdout, stderr } = await second.output;
  assert.equal(code, 0, stderr);
  const outcome = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assert.equal(outcome.status, "succeeded");

  const delivered = deliveriesByKey(tg.messages);
  assert.deepEqual([...new Set(delivered.values())], [1], "no alert delivered twice");
  const rows = await outboxRows(await shared.open());
  const byStatus = Object.groupBy(rows, (r) => r.status);
  assert.deepEqual(Object.keys(byStatus).sort(), byStatus.unknown ? ["sent", "unknown"] : ["sent"]);
  for (const row of byStatus.sent!) assert.equal(delivered.get(row.key), 1, row.key);
  const unknown = byStatus.unknown ?? [];
  const unknownUndelivered = unknown.filter((r) => !delivered.has(r.key)).length;
  assert.equal(delivered.size + unknownUndelivered, TOTAL, "every alert accounted for");
  assert.ok(unknown.length <= DRAIN_DEFAULTS.concurrency, `${unknown.length} unknown`);
  assert.equal(outcome.counts.unknown, unknown.length, "the restart reported what it settled");
  // (The restarted process does not know what the killed one sent in its last second, so it
  // may meet a few 429s: they were honoured, as the exact counts above show.)
  await shared.release();
});

Deno.test("SIGTERM mid-run, restart: exact totals, nothing 'unknown'", async () => {
  await using db = await openTestDatabase();
  await using tg = startFakeTelegram({ limits: FAKE_LIMITS });
  const shared = share(db);
  await seed(shared);
  const env = { ...shared.env, ...telegramEnv(tg) };

  const first = startChild(env);
  await deliveredAtLeast(tg, 500, first);
  first.process.kill("SIGTERM");
  const stopped = await first.output;
  assert.equal(stopped.code, 0, stopped.stderr);
  const interrupted = JSON.parse(stopped.stdout.trim().split("\n").at(-1)!);
  assert.equal(interrupted.status, "interrupted");
  // Stopped cleanly: every delivered message recorded, nothing left 'sending'.
  const afterStop = await statusCounts(await shared.open());
  assert.deepEqual(afterStop, { sent: tg.messages.length, pending: TOTAL - tg.messages.length });
  assert.equal(interrupted.counts.sent, tg.messages.length);
  await shared.release();

  const second = startChild(env);
  const { code, stderr } = await second.output;
  assert.equal(code, 0, stderr);
  const delivered = deliveriesByKey(tg.messages);
  assert.equal(delivered.size, TOTAL);
  assert.deepEqual([...new Set(delivered.values())], [1]);
  assert.deepEqual(await statusCounts(await shared.open()), { sent: TOTAL });
  await shared.release();
});
