// Alerts written in the transaction that stores their cause, on a real database (Postgres with
// DATABASE_URL, else embedded): one row per subscribed active chat, consensus on the Nth model,
// flips, frequencies, expiry, digests, win rates after evaluation, and job failures for admins.
import assert from "node:assert/strict";
import type { Sql, TransactionSql } from "postgres";
import { addTestSnapshots, testSummary } from "../../tests/support/evaluations.ts";
import { addTestModels, addTestPredictions } from "../../tests/support/predictions.ts";
import { openTestContext } from "../../tests/support/context.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { createEvaluateJob } from "../../jobs/evaluate.ts";
import { runJob } from "../jobs/runner.ts";
import { createLogger } from "../log.ts";
import { upsertPriceBars } from "../market/store.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import type { Direction, PredictionMode } from "../predict/types.ts";
import { insertPrediction } from "../predictions/store.ts";
import { upsertStocks } from "../stocks/store.ts";
import {
  enqueueJobFailureAlerts,
  enqueuePredictionAlerts,
  enqueueWinRateAlerts,
  WinRateCache,
} from "./enqueue.ts";
import type { AlertFrequency, AlertPayload, AlertRule } from "./types.ts";

const NOW = new Date("2024-03-19T15:30:00Z");
const TIMING = { digestHourUtc: 22 };

async function world(sql: Sql) {
  const [aapl, msft] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft" },
  ]);
  const [m1, m2, m3, m4] = await addTestModels(sql, [
    { name: "m1" },
    { name: "m2" },
    { name: "m3" },
    { name: "m4" },
  ]);
  return { aapl, msft, models: [m1, m2, m3, m4] };
}

type ChatState = "active" | "muted" | "blocked";

async function addChat(sql: Sql, chatId: number, state: ChatState = "active") {
  await sql`
    insert into telegram_chat (chat_id, kind, active, deactivated_reason, deactivated_at,
      muted_until)
    values (${chatId}, ${chatId > 0 ? "private" : "group"}, ${state !== "blocked"},
      ${state === "blocked" ? "blocked" : null}, ${state === "blocked" ? NOW : null},
      ${state === "muted" ? new Date(NOW.getTime() + 3_600_000) : null})`;
}

interface SubscriptionSpec {
  chatId: number;
  rule?: AlertRule;
  stockId?: number | null;
  modelId?: number | null;
  direction?: Direction | null;
  minConfidence?: number;
  minModels?: number | null;
  winRateBelow?: number | null;
  frequency?: AlertFrequency;
  expiresAt?: Date | null;
  digest?: boolean;
  userId?: number | null;
}

async function subscribe(sql: Sql, s: SubscriptionSpec): Promise<number> {
  const [{ id }] = await sql<{ id: number }[]>`
    insert into alert_subscription (chat_id, rule, stock_id, model_id, direction, min_confidence,
      min_models, win_rate_below, frequency, expires_at, digest, user_id)
    values (${s.chatId}, ${s.rule ?? "strong"}, ${s.stockId ?? null}, ${s.modelId ?? null},
      ${s.direction ?? null}, ${s.minConfidence ?? 0.7}, ${s.minModels ?? null},
      ${s.winRateBelow ?? null}, ${s.frequency ?? "every"}, ${s.expiresAt ?? null},
      ${s.digest ?? false}, ${s.userId ?? null})
    returning id`;
  return id;
}

interface PredictionSpec {
  modelId: number;
  stock: { id: number; symbol: string; name: string };
  asOf: string;
  direction: Direction;
  confidence: number;
  horizon?: number;
  mode?: PredictionMode;
}

/** Stores a prediction and its alerts in one transaction, as the predict job does. */
async function predict(sql: Sql, p: PredictionSpec, now = NOW, winRates?: WinRateCache) {
  return await sql.begin((tx) => predictIn(tx, p, now, winRates));
}

/** The same inside an open transaction. */
async function predictIn(
  tx: TransactionSql,
  p: PredictionSpec,
  now = NOW,
  winRates?: WinRateCache,
) {
  const prediction = {
    modelId: p.modelId,
    stockId: p.stock.id,
    asOf: new Date(p.asOf),
    horizon: p.horizon ?? 5,
    direction: p.direction,
    confidence: p.confidence,
    reasoning: "Because.",
    mode: p.mode ?? "live",
  };
  const id = await insertPrediction(tx, {
    ...prediction,
    citedNewsIds: [],
    shownNewsIds: [],
    promptId: null,
    abTestId: null,
    variant: null,
    contaminated: false,
    inputTokens: null,
    outputTokens: null,
    cost: null,
    latencyMs: null,
    inputsHash: "0".repeat(64),
    runRecord: {},
  });
  assert.ok(id !== null, "a new prediction");
  const [{ name }] = await tx<{ name: string }[]>`select name from model where id = ${p.modelId}`;
  const stored = {
    ...prediction,
    id,
    symbol: p.stock.symbol,
    stockName: p.stock.name,
    modelName: name,
  };
  return { id, alerts: await enqueuePredictionAlerts(tx, stored, now, TIMING, winRates) };
}

interface OutboxRow {
  chat_id: number;
  subscription_id: number | null;
  prediction_id: number | null;
  idempotency_key: string;
  kind: string;
  collapse_key: string;
  next_attempt_at: Date;
  payload: AlertPayload;
}

async function outbox(sql: Sql): Promise<OutboxRow[]> {
  return [
    ...await sql<OutboxRow[]>`
    select chat_id, subscription_id, prediction_id, idempotency_key, kind, collapse_key,
      next_attempt_at, payload
    from alert_outbox order by id`,
  ];
}

async function subscriptionState(sql: Sql, id: number) {
  const [row] = await sql<{ active: boolean; lastTriggeredAt: Date | null }[]>`
    select active, last_triggered_at as "lastTriggeredAt" from alert_subscription where id = ${id}`;
  return { ...row };
}

Deno.test("strong: one row per subscribed chat, muted included, inactive and disabled left out", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, msft, models: [m1] } = await world(sql);
  for (
    const [chat, state] of [[1, "active"], [2, "active"], [3, "muted"], [4, "blocked"]] as const
  ) {
    await addChat(sql, chat, state);
  }
  const both = [
    await subscribe(sql, { chatId: 1, stockId: aapl.id }),
    await subscribe(sql, { chatId: 1, stockId: null, minConfidence: 0.5 }),
  ];
  await subscribe(sql, { chatId: 2, stockId: aapl.id, minConfidence: 0.9 });
  await subscribe(sql, { chatId: 3, stockId: aapl.id });
  await subscribe(sql, { chatId: 4, stockId: aapl.id });
  await subscribe(sql, { chatId: 2, stockId: msft.id, minConfidence: 0 });
  // A subscription whose chat the bot never saw has nowhere to go.
  await subscribe(sql, { chatId: 5, stockId: aapl.id });
  // A disabled account's rules fall silent with it.
  await addChat(sql, 6, "active");
  const [{ id: disabledUser }] = await sql<{ id: number }[]>`
    insert into app_user (email, password_hash, disabled_at)
    values ('gone@example.com', 'x', now()) returning id`;
  await subscribe(sql, { chatId: 6, stockId: aapl.id, userId: disabledUser });
  await addTestSnapshots(sql, [{
    model: "m1",
    mode: "replay",
    metrics: testSummary({
      n: 110,
      wins: 60,
      losses: 40,
      flats: 10,
      winRate: { value: 0.6, low: 0.5, high: 0.69 },
    }),
  }]);

  const { id, alerts } = await predict(sql, {
    modelId: m1,
    stock: aapl,
    asOf: "2024-03-18T20:00:00Z",
    direction: "up",
    confidence: 0.8,
  });
  assert.equal(alerts, 2);
  const rows = await outbox(sql);
  assert.deepEqual(rows.map((r) => [r.chat_id, r.idempotency_key, r.collapse_key]), [
    [1, `strong:${id}:1`, `1:${aapl.id}:${m1}`],
    [3, `strong:${id}:3`, `3:${aapl.id}:${m1}`],
  ]);
  assert.deepEqual(rows[0].payload, {
    kind: "prediction",
    rule: "strong",
    prediction: {
      id,
      symbol: "AAPL",
      stockName: "Apple Inc.",
      modelId: m1,
      modelName: "m1",
      direction: "up",
      confidence: 0.8,
      horizon: 5,
      asOf: "2024-03-18T20:00:00.000Z",
      reasoning: "Because.",
      winRate: { rate: 0.6, low: 0.5, high: 0.69, n: 100 },
    },
  });
  assert.equal(rows[0].prediction_id, id);
  assert.equal(rows[0].subscription_id, both[0]);
  assert.deepEqual(rows[0].next_attempt_at, NOW);
});

Deno.test("replays and predictions without subscribers write nothing", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, models: [m1, m2] } = await world(sql);
  await addChat(sql, 1);
  const sub = await subscribe(sql, { chatId: 1, minConfidence: 0 });
  const replay = await predict(sql, {
    modelId: m1,
    stock: aapl,
    asOf: "2024-03-18T20:00:00Z",
    direction: "up",
    confidence: 0.9,
    mode: "replay",
  });
  assert.equal(replay.alerts, 0);
  await sql`update alert_subscription set active = false where id = ${sub}`;
  const live = await predict(sql, {
    modelId: m2,
    stock: aapl,
    asOf: "2024-03-18T20:00:00Z",
    direction: "up",
    confidence: 0.9,
  });
  assert.equal(live.alerts, 0);
  assert.equal((await outbox(sql)).length, 0);
});

Deno.test("consensus: exactly when the Nth active model agrees, once per chat", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, models } = await world(sql);
  await addChat(sql, 1);
  await addChat(sql, 2);
  await subscribe(sql, { chatId: 1, rule: "consensus", minModels: 3, minConfidence: 0 });
  // Same chat, another consensus rule on the same event: still one alert for the chat.
  await subscribe(sql, {
    chatId: 1,
    rule: "consensus",
    stockId: aapl.id,
    minModels: 3,
    minConfidence: 0,
  });
  await subscribe(sql, { chatId: 2, rule: "consensus", minModels: 2, minConfidence: 0 });
  const [m1, m2, m3, m4] = models;
  // A retired model's prediction does not count.
  const [retired] = await addTestModels(sql, [{ name: "retired" }]);
  await predict(sql, {
    modelId: retired,
    stock: aapl,
    asOf: "2024-03-18T20:00:00Z",
    direction: "up",
    confidence: 0.9,
  });
  await sql`update model set active = false where id = ${retired}`;
  const steps: [number, Direction, number][] = [
    [m1, "up", 0], // one agrees
    [m2, "down", 0], // up 1, down 1
    [m3, "up", 1], // up 2: chat 2's rule (N = 2)
    [m4, "up", 1], // up 3: chat 1's rules (N = 3), one row
  ];
  for (const [modelId, direction, expected] of steps) {
    const { alerts } = await predict(sql, {
      modelId,
      stock: aapl,
      asOf: "2024-03-18T20:00:00Z",
      direction,
      confidence: 0.6,
    });
    assert.equal(alerts, expected, `model ${modelId} ${direction}`);
  }
  const rows = await outbox(sql);
  const asOf = "2024-03-18T20:00:00.000Z";
  assert.deepEqual(rows.map((r) => r.idempotency_key), [
    `consensus:${aapl.id}:${asOf}:5:up:2`,
    `consensus:${aapl.id}:${asOf}:5:up:1`,
  ]);
  const last = rows[1].payload;
  assert.ok(last.kind === "prediction" && last.rule === "consensus");
  assert.deepEqual(last.agreeing, ["m1", "m3", "m4"]);
  assert.equal(last.of, 4);
  // Another horizon is another consensus.
  const other = await predict(sql, {
    modelId: m1,
    stock: aapl,
    asOf: "2024-03-18T20:00:00Z",
    horizon: 1,
    direction: "up",
    confidence: 0.6,
  });
  assert.equal(other.alerts, 0);
});

Deno.test("flip: up then down, live calls only, flat in between is no call", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, models: [m1, m2] } = await world(sql);
  await addChat(sql, 1);
  await subscribe(sql, { chatId: 1, rule: "flip", stockId: aapl.id, minConfidence: 0 });
  const call = (modelId: number, day: string, direction: Direction, mode?: PredictionMode) =>
    predict(sql, {
      modelId,
      stock: aapl,
      asOf: `${day}T20:00:00Z`,
      direction,
      confidence: 0.6,
      mode,
    });
  assert.equal((await call(m1, "2024-03-11", "up")).alerts, 0, "first call");
  assert.equal((await call(m1, "2024-03-12", "up")).alerts, 0);
  assert.equal((await call(m1, "2024-03-13", "flat")).alerts, 0);
  const flip = await call(m1, "2024-03-14", "down");
  assert.equal(flip.alerts, 1, "up → flat → down");
  assert.equal((await call(m1, "2024-03-15", "down")).alerts, 0);
  // A replayed "up" between two live "down"s is not what the model told anyone.
  await call(m2, "2024-03-13", "down");
  await call(m2, "2024-03-14", "up", "replay");
  assert.equal((await call(m2, "2024-03-15", "down")).alerts, 0);
  const [row] = await outbox(sql);
  assert.equal(row.idempotency_key, `flip:${flip.id}:1`);
  assert.ok(row.payload.kind === "prediction" && row.payload.rule === "flip");
  assert.equal(row.payload.previousDirection, "up");
  assert.equal(row.payload.previousAsOf, "2024-03-12T20:00:00.000Z");
});

Deno.test("frequency once, daily, every; expiry; digest rows", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, models: [m1, m2, m3] } = await world(sql);
  for (const chat of [1, 2, 3, 4, 5]) await addChat(sql, chat);
  const once = await subscribe(sql, { chatId: 1, frequency: "once" });
  const daily = await subscribe(sql, { chatId: 2, frequency: "daily" });
  const every = await subscribe(sql, { chatId: 3, frequency: "every" });
  const expiring = await subscribe(sql, {
    chatId: 4,
    expiresAt: new Date("2024-03-20T00:00:00Z"),
  });
  const digest = await subscribe(sql, { chatId: 5, digest: true });
  const day1 = new Date("2024-03-19T10:00:00Z");
  const day1Later = new Date("2024-03-19T23:00:00Z");
  const day2 = new Date("2024-03-20T09:00:00Z");
  const at = (modelId: number, now: Date) =>
    predict(sql, {
      modelId,
      stock: aapl,
      asOf: "2024-03-18T20:00:00Z",
      direction: "up",
      confidence: 0.9,
    }, now);

  assert.equal((await at(m1, day1)).alerts, 5);
  assert.deepEqual(await subscriptionState(sql, once), { active: false, lastTriggeredAt: day1 });
  assert.equal((await at(m2, day1Later)).alerts, 3, "every, expiring and the digest");
  assert.equal((await at(m3, day2)).alerts, 3, "daily again, every and the digest");
  assert.deepEqual(await subscriptionState(sql, expiring), {
    active: false,
    lastTriggeredAt: null,
  });
  assert.deepEqual(await subscriptionState(sql, daily), { active: true, lastTriggeredAt: day2 });
  // An every-time rule keeps no trigger state: nothing to gate, and no hot row to queue on.
  assert.deepEqual(await subscriptionState(sql, every), { active: true, lastTriggeredAt: null });

  const rows = await outbox(sql);
  const perChat = (chat: number) => rows.filter((r) => r.chat_id === chat).length;
  assert.deepEqual([1, 2, 3, 4, 5].map(perChat), [1, 2, 3, 2, 3]);
  const digests = rows.filter((r) => r.subscription_id === digest);
  assert.deepEqual(digests.map((r) => [r.collapse_key, r.next_attempt_at.toISOString()]), [
    ["digest:5:2024-03-19", "2024-03-19T22:00:00.000Z"],
    ["digest:5:2024-03-20", "2024-03-20T22:00:00.000Z"],
    ["digest:5:2024-03-20", "2024-03-20T22:00:00.000Z"],
  ]);
});

// Two connections are needed for two transactions at once: the embedded database has one, so its
// transactions never overlap.
const SERVER = Boolean(Deno.env.get("DATABASE_URL"));
if (!SERVER) console.log("skipped: the race needs a Postgres server (DATABASE_URL unset)");

Deno.test({
  name: "a once rule triggers once even when two predictions race for it",
  ignore: !SERVER,
  async fn() {
    await using db = await openTestDatabase();
    const { sql } = db;
    const { aapl, msft, models: [m1] } = await world(sql);
    await addChat(sql, 1);
    const once = await subscribe(sql, { chatId: 1, frequency: "once", minConfidence: 0 });
    const spec = (stock: typeof aapl) => ({
      modelId: m1,
      stock,
      asOf: "2024-03-18T20:00:00Z",
      direction: "up" as const,
      confidence: 0.9,
    });
    // The first prediction's transaction has written its alert and stays open until the second
    // one is seen waiting (or has finished: without the lock it would not wait).
    const { promise: written, resolve: wrote } = Promise.withResolvers<void>();
    const { promise: gate, resolve: commit } = Promise.withResolvers<void>();
    const first = sql.begin(async (tx) => {
      const result = await predictIn(tx, spec(aapl));
      wrote();
      await gate;
      return result;
    });
    await written;
    const second = predict(sql, spec(msft));
    const waiting = (async () => {
      while (true) {
        const [{ n }] = await sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
        if (n > 0) return "waiting";
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const early = await Promise.race([second.then(() => "finished"), waiting]);
    commit();
    const results = await Promise.all([first, second]);
    assert.equal(early, "waiting", "the second prediction waits for the first's commit");
    assert.deepEqual(results.map((r) => r.alerts), [1, 0]);
    assert.equal((await outbox(sql)).length, 1);
    assert.equal((await subscriptionState(sql, once)).active, false);
  },
});

Deno.test("win-rate alerts: below the threshold, at most once per chat, model and day", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl } = await world(sql);
  for (const chat of [1, 2, 3]) await addChat(sql, chat);
  const [m1, m2] = (await sql<{ id: number }[]>`select id from model order by id`).map((r) => r.id);
  const rate = (wins: number, losses: number) =>
    testSummary({
      n: wins + losses,
      wins,
      losses,
      winRate: { value: wins / (wins + losses), low: 0.3, high: 0.6 },
    });
  await addTestSnapshots(sql, [
    { model: "m1", mode: "replay", metrics: rate(40, 60) }, // 40%
    { model: "m2", mode: "replay", metrics: rate(70, 30) }, // 70%
    { model: "m3", mode: "live", metrics: rate(1, 9) }, // 10%, but retired below
  ]);
  await sql`update model set active = false where name = 'm3'`;
  const every = await subscribe(sql, {
    chatId: 1,
    rule: "win_rate",
    winRateBelow: 0.5,
    minConfidence: 0,
  });
  const once = await subscribe(sql, {
    chatId: 2,
    rule: "win_rate",
    modelId: m1,
    stockId: aapl.id,
    winRateBelow: 0.45,
    minConfidence: 0,
    frequency: "once",
  });
  await subscribe(sql, {
    chatId: 3,
    rule: "win_rate",
    modelId: m2,
    winRateBelow: 0.6,
    minConfidence: 0,
  });

  const day1 = new Date("2024-03-19T06:20:00Z");
  assert.equal(await enqueueWinRateAlerts(sql, day1, TIMING), 2);
  assert.equal(await enqueueWinRateAlerts(sql, new Date("2024-03-19T12:20:00Z"), TIMING), 0);
  assert.equal((await subscriptionState(sql, once)).active, false);
  assert.deepEqual(await subscriptionState(sql, every), { active: true, lastTriggeredAt: null });
  assert.equal(await enqueueWinRateAlerts(sql, new Date("2024-03-20T06:20:00Z"), TIMING), 1);
  const rows = await outbox(sql);
  assert.deepEqual(rows.map((r) => [r.idempotency_key, r.kind, r.collapse_key]), [
    [`win_rate:${m1}:1:2024-03-19`, "win_rate", `1:win_rate:${m1}`],
    [`win_rate:${m1}:2:2024-03-19`, "win_rate", `2:win_rate:${m1}`],
    [`win_rate:${m1}:1:2024-03-20`, "win_rate", `1:win_rate:${m1}`],
  ]);
  assert.deepEqual(rows[1].payload, {
    kind: "win_rate",
    modelId: m1,
    modelName: "m1",
    winRate: { rate: 0.4, low: 0.3, high: 0.6, n: 100 },
    threshold: 0.45,
    symbol: "AAPL",
  });
});

Deno.test("job failures reach linked, active admin chats only, once per run", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  await addChat(sql, 11);
  await addChat(sql, 12);
  await addChat(sql, 13, "blocked");
  await addChat(sql, 14);
  await addChat(sql, 15);
  const user = (email: string, role: string, chat: number | null, disabled = false) =>
    sql`
      insert into app_user (email, password_hash, role, telegram_chat_id, telegram_linked_at,
        disabled_at)
      values (${email}, 'x', ${role}, ${chat}, ${chat === null ? null : NOW},
        ${disabled ? NOW : null})`;
  await user("admin@x.io", "admin", 11);
  await user("admin2@x.io", "admin", 12);
  await user("blocked@x.io", "admin", 13);
  await user("investor@x.io", "investor", 14);
  await user("gone@x.io", "admin", 15, true);
  await user("unlinked@x.io", "admin", null);
  const at = new Date("2024-03-19T10:00:00Z");
  const failure = { job: "crawl", runId: 42, error: "source down", at };
  assert.equal(await enqueueJobFailureAlerts(sql, failure), 2);
  assert.equal(await enqueueJobFailureAlerts(sql, failure), 0, "reported already");
  assert.equal(await enqueueJobFailureAlerts(sql, { ...failure, runId: null }), 2);
  const rows = await outbox(sql);
  assert.deepEqual(rows.map((r) => [r.chat_id, r.idempotency_key, r.kind, r.collapse_key]), [
    [11, "job:42:11", "job_failure", "job:11:crawl"],
    [12, "job:42:12", "job_failure", "job:12:crawl"],
    [11, "job:crawl:2024-03-19T10:00:00.000Z:11", "job_failure", "job:11:crawl"],
    [12, "job:crawl:2024-03-19T10:00:00.000Z:12", "job_failure", "job:12:crawl"],
  ]);
  assert.deepEqual(rows[0].payload, {
    kind: "job_failure",
    job: "crawl",
    runId: 42,
    error: "source down",
    at: "2024-03-19T10:00:00.000Z",
  });
  assert.equal(rows[0].subscription_id, null);
});

Deno.test("WinRateCache: one read per model while it lives", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, models: [m1] } = await world(sql);
  await addChat(sql, 1);
  await subscribe(sql, { chatId: 1, minConfidence: 0 });
  const cache = new WinRateCache();
  await predict(
    sql,
    { modelId: m1, stock: aapl, asOf: "2024-03-15T20:00:00Z", direction: "up", confidence: 0.9 },
    NOW,
    cache,
  );
  // A snapshot computed meanwhile is not read again within the run.
  await addTestSnapshots(sql, [{
    model: "m1",
    mode: "replay",
    metrics: testSummary({
      n: 10,
      wins: 5,
      losses: 5,
      winRate: { value: 0.5, low: 0.2, high: 0.8 },
    }),
  }]);
  await predict(
    sql,
    { modelId: m1, stock: aapl, asOf: "2024-03-18T20:00:00Z", direction: "up", confidence: 0.9 },
    NOW,
    cache,
  );
  await predict(sql, {
    modelId: m1,
    stock: aapl,
    asOf: "2024-03-19T20:00:00Z",
    direction: "up",
    confidence: 0.9,
  });
  const rates = (await outbox(sql)).map((r) =>
    r.payload.kind === "prediction" && r.payload.prediction.winRate
  );
  assert.deepEqual(rates, [null, null, { rate: 0.5, low: 0.2, high: 0.8, n: 10 }]);
});

Deno.test("the evaluate job raises win-rate alerts from the metrics it recomputed", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl } = await world(sql);
  // Weekdays of January 2024, closes rising: every "down" call loses.
  const days = Array.from({ length: 31 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)))
    .filter((d) => d.getUTCDay() % 6 !== 0).map((d) => d.toISOString().slice(0, 10));
  await upsertPriceBars(sql, aapl, days.map((day, i) => testBar(day, 100 + i)), "test");
  await addTestPredictions(
    sql,
    days.slice(0, 10).map((day) => ({
      model: "m1",
      symbol: "AAPL",
      asOf: `${day}T21:00:00Z`,
      horizon: 1,
      direction: "down" as const,
      confidence: 0.7,
      mode: "replay" as const,
    })),
  );
  await addChat(sql, 1);
  await subscribe(sql, { chatId: 1, rule: "win_rate", winRateBelow: 0.5, minConfidence: 0 });
  await using app = await openTestContext({ db, log: createLogger("error", () => {}) });
  const job = createEvaluateJob();
  const first = await runJob(job, app);
  assert.equal(first.status, "succeeded", JSON.stringify(first));
  assert.equal(first.status === "succeeded" && first.counts.alerts, 1);
  const second = await runJob(job, app);
  assert.equal(second.status === "succeeded" && second.counts.alerts, 0, "once a day");
  const [row] = await outbox(sql);
  assert.ok(row.payload.kind === "win_rate");
  assert.equal(row.payload.modelName, "m1");
  assert.deepEqual(row.payload.winRate.rate, 0);
  assert.equal(row.payload.winRate.n, 10);
});
