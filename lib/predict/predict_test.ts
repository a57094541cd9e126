// A stored prediction and its alerts are one transaction: the predict job writes one outbox row per
// subscribed chat with the prediction, a rerun writes nothing new, replays raise no alert, and a
// failure after both writes leaves neither.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { openTestContext } from "../../tests/support/context.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { createPredictJob } from "../../jobs/predict.ts";
import { loadConfig } from "../config.ts";
import type { JobCounts } from "../jobs/job.ts";
import { runJob } from "../jobs/runner.ts";
import { createLogger } from "../log.ts";
import { upsertPriceBars } from "../market/store.ts";
import { createModel } from "../models/store.ts";
import { upsertStocks } from "../stocks/store.ts";
import { predictStock, SpendingGuard, tallyInto } from "./predict.ts";

const quiet = createLogger("error", () => {});

/** AAPL with 40 weekdays of closes up to 2024-03-19, and two always-up models. */
async function setUp(sql: Sql) {
  const [aapl] = await upsertStocks(sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);
  const days = Array.from({ length: 56 }, (_, i) => new Date(Date.UTC(2024, 1, 8 + i)))
    .filter((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6)
    .map((d) => d.toISOString().slice(0, 10));
  await upsertPriceBars(sql, aapl, days.map((day, i) => testBar(day, 100 + i)), "test");
  const model = (name: string, confidence: number) =>
    createModel(sql, {
      name,
      provider: "builtin",
      modelId: "always-up",
      description: null,
      params: { confidence },
      knowledgeCutoff: null,
      active: true,
      inputTokenCost: 0,
      outputTokenCost: 0,
      dailyCapUsd: null,
      promptTemplate: null,
    });
  const sure = await model("sure", 0.9);
  const unsure = await model("unsure", 0.6);
  for (const chat of [1, 2, 3]) {
    await sql`insert into telegram_chat (chat_id, kind) values (${chat}, 'private')`;
  }
  await sql`
    insert into alert_subscription (chat_id, stock_id, min_confidence)
    values (1, ${aapl.id}, 0.8), (2, ${aapl.id}, 0.8), (3, ${aapl.id}, 0.95)`;
  return { aapl, sure, unsure, days };
}

async function counts(sql: Sql) {
  const [row] = await sql<{ predictions: number; alerts: number }[]>`
    select (select count(*)::int from prediction) as predictions,
      (select count(*)::int from alert_outbox) as alerts`;
  return { ...row };
}

Deno.test("predict job: the prediction and one alert per subscribed chat, together", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { sure } = await setUp(sql);
  await using app = await openTestContext({
    db,
    config: loadConfig({ PREDICT_HORIZONS: "1" }),
    log: quiet,
  });
  const job = createPredictJob(() => () => null);

  await t.step(
    "first run: two predictions, two alerts in the confident one's transaction",
    async () => {
      const outcome = await runJob(job, app);
      assert.equal(outcome.status, "succeeded", JSON.stringify(outcome));
      assert.equal(outcome.status === "succeeded" && outcome.counts.alerts, 2);
      assert.deepEqual(await counts(sql), { predictions: 2, alerts: 2 });
      const rows = await sql<{ chat_id: number; model_id: number; together: boolean }[]>`
      select o.chat_id, p.model_id, o.xmin::text = p.xmin::text as together
      from alert_outbox o join prediction p on p.id = o.prediction_id
      order by o.chat_id`;
      assert.deepEqual(rows.map((r) => ({ ...r })), [
        { chat_id: 1, model_id: sure.id, together: true },
        { chat_id: 2, model_id: sure.id, together: true },
      ]);
    },
  );

  await t.step("a rerun stores nothing and writes no alert", async () => {
    const outcome = await runJob(job, app);
    assert.equal(outcome.status, "succeeded");
    assert.equal(outcome.status === "succeeded" && outcome.counts.existing, 2);
    assert.deepEqual(await counts(sql), { predictions: 2, alerts: 2 });
  });
});

Deno.test("replays store predictions but raise no alerts", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, sure, unsure, days } = await setUp(sql);
  await using app = await openTestContext({ db, log: quiet });
  const tally: JobCounts = {};
  const deps = {
    app,
    llm: () => null,
    spending: new SpendingGuard(app, () => new Date()),
    log: quiet,
    tally: tallyInto(tally),
  };
  const assignments = [sure, unsure].map((model) => ({ model, abTestId: null, variant: null }));
  for (const day of days.slice(-5)) {
    await predictStock(deps, {
      stock: aapl,
      asOf: new Date(`${day}T20:00:00Z`),
      mode: "replay",
      horizons: [1, 5],
      assignments,
    });
  }
  assert.equal(tally.predicted, 20);
  assert.deepEqual(await counts(sql), { predictions: 20, alerts: 0 });
});

Deno.test("a failure after the prediction and its alerts are written leaves neither", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { aapl, sure, unsure, days } = await setUp(sql);
  // Fails the commit of any transaction that wrote an alert: after both inserts succeeded.
  await sql`
    create function fail_alert() returns trigger language plpgsql as $$
    begin raise exception 'injected failure'; end $$`;
  await sql`
    create constraint trigger fail_alert after insert on alert_outbox
    deferrable initially deferred for each row execute function fail_alert()`;
  await using app = await openTestContext({ db, log: quiet });
  const tally: JobCounts = {};
  const deps = {
    app,
    llm: () => null,
    spending: new SpendingGuard(app, () => new Date()),
    log: quiet,
    tally: tallyInto(tally),
  };
  await predictStock(deps, {
    stock: aapl,
    asOf: new Date(`${days.at(-1)}T20:00:00Z`),
    mode: "live",
    horizons: [1],
    assignments: [sure, unsure].map((model) => ({ model, abTestId: null, variant: null })),
  });
  assert.deepEqual(tally, { predicted: 1, failed: 1 }, "the unsure one raised no alert");
  const stored = await sql<{ model_id: number }[]>`select model_id from prediction`;
  assert.deepEqual(stored.map((r) => r.model_id), [unsure.id]);
  assert.deepEqual(await counts(sql), { predictions: 1, alerts: 0 });
});
