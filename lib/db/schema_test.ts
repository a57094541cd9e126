// The data model's guarantees (migrations/0001_initial.sql): the constraints other modules rely on.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { openTestDatabase } from "../../tests/support/database.ts";

/** Asserts `query` fails on the named constraint (checks, uniques and foreign keys alike). */
async function violates(query: Promise<unknown>, constraint: string | RegExp): Promise<void> {
  await assert.rejects(query, (error) => {
    const name = error instanceof Error && "constraint_name" in error
      ? String(error.constraint_name)
      : "";
    assert.ok(
      typeof constraint === "string" ? name === constraint : constraint.test(name),
      `expected a violation of ${constraint}, got ${name || String(error)}`,
    );
    return true;
  });
}

async function seed(sql: Sql) {
  const [stock] = await sql<{ id: number }[]>`
    insert into stock (symbol, exchange, name, aliases, asset_class)
    values ('AAPL', 'NASDAQ', 'Apple Inc.', ${["Apple", "iPhone maker"]}, 'equity') returning id`;
  const [model] = await sql<{ id: number }[]>`
    insert into model (name, provider, model_id, params)
    values ('momentum', 'builtin', 'momentum', ${sql.json({ lookback: 20 })}) returning id`;
  return { stockId: stock.id, modelId: model.id };
}

function predict(sql: Sql, ids: { stockId: number; modelId: number }, overrides = {}) {
  const row = {
    model_id: ids.modelId,
    stock_id: ids.stockId,
    as_of: new Date("2024-01-05T21:00:00Z"),
    horizon: 5,
    direction: "up",
    confidence: 0.7,
    mode: "replay",
    ...overrides,
  };
  return sql`insert into prediction ${sql(row)} returning id`;
}

Deno.test("data model constraints", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const ids = await seed(sql);

  await t.step("users: role, normalised unique email", async () => {
    await sql`insert into app_user (email, password_hash) values ('ann@example.com', 'h')`;
    await violates(
      sql`insert into app_user (email, password_hash) values ('ann@example.com', 'h')`,
      "app_user_email_key",
    );
    await violates(
      sql`insert into app_user (email, password_hash) values ('Bob@Example.com', 'h')`,
      "app_user_email_check",
    );
    await violates(
      sql`insert into app_user (email, password_hash, role) values ('c@x.io', 'h', 'root')`,
      "app_user_role_check",
    );
    const [user] = await sql<{ role: string }[]>`select role from app_user`;
    assert.equal(user.role, "investor");
  });

  await t.step("stocks: unique upper-case symbol, asset class", async () => {
    await violates(
      sql`insert into stock (symbol, exchange, name) values ('AAPL', 'NYSE', 'Again')`,
      "stock_symbol_key",
    );
    await violates(
      sql`insert into stock (symbol, exchange, name) values ('msft', 'NASDAQ', 'Microsoft')`,
      "stock_symbol_check",
    );
    await violates(
      sql`insert into stock (symbol, exchange, name, asset_class)
          values ('GLD', 'NYSE', 'Gold', 'commodity')`,
      "stock_asset_class_check",
    );
    const [stock] = await sql<{ aliases: string[] }[]>`select aliases from stock`;
    assert.deepEqual(stock.aliases, ["Apple", "iPhone maker"]);
  });

  await t.step("price bars: one per stock and day, sane prices", async () => {
    const bar = {
      stock_id: ids.stockId,
      date: "2024-01-05",
      open: 181.99,
      high: 182.76,
      low: 180.17,
      close: 181.18,
      volume: 62_303_300,
      closed_at: new Date("2024-01-05T21:00:00Z"),
      source: "test",
    };
    await sql`insert into price_bar ${sql(bar)}`;
    await violates(sql`insert into price_bar ${sql(bar)}`, "price_bar_stock_date_key");
    await violates(
      sql`insert into price_bar ${sql({ ...bar, date: "2024-01-08", low: 190 })}`,
      /^price_bar_check/,
    );
    await violates(
      sql`insert into price_bar ${sql({ ...bar, date: "2024-01-08", close: Number.NaN })}`,
      "price_bar_close_check",
    );
  });

  await t.step("news: unique url and content hash; news_stock unique pair", async () => {
    const item = {
      url: "https://example.com/a",
      content_hash: "abc",
      title: "Apple rises",
      source: "test",
      published_at: new Date("2024-01-05T12:00:00Z"),
    };
    const [news] = await sql<{ id: number }[]>`insert into news ${sql(item)} returning id`;
    await violates(
      sql`insert into news ${sql({ ...item, content_hash: "other" })}`,
      "news_url_key",
    );
    await violates(
      sql`insert into news ${sql({ ...item, url: "https://example.com/b" })}`,
      "news_content_hash_key",
    );
    await sql`insert into news_stock (news_id, stock_id, score) values (${news.id}, ${ids.stockId}, 0.9)`;
    await violates(
      sql`insert into news_stock (news_id, stock_id) values (${news.id}, ${ids.stockId})`,
      "news_stock_news_stock_key",
    );
    await violates(
      sql`insert into news_stock (news_id, stock_id, score) values (${news.id}, ${ids.stockId}, 2)`,
      "news_stock_score_check",
    );
  });

  await t.step("models: unique name, one row per prompt version", async () => {
    await violates(
      sql`insert into model (name, provider, model_id) values ('momentum', 'builtin', 'm')`,
      "model_name_key",
    );
    const prompt = (version: number) =>
      sql`insert into model_prompt (model_id, version, template, template_hash)
        values (${ids.modelId}, ${version}, 'Predict {{symbol}}', ${"a".repeat(64)})`;
    await prompt(1);
    await violates(prompt(1), "model_prompt_model_version_key");
    await violates(prompt(0), "model_prompt_version_check");
    await violates(
      sql`insert into model (name, provider, model_id) values ('x', 'anthropic', 'm')`,
      "model_provider_check",
    );
  });

  await t.step(
    "predictions: unique per model, stock, as_of and horizon; value checks",
    async () => {
      await predict(sql, ids);
      await violates(predict(sql, ids), "prediction_model_stock_as_of_horizon_key");
      await predict(sql, ids, { horizon: 10 });
      await violates(
        predict(sql, ids, { horizon: 1, direction: "sideways" }),
        "prediction_direction_check",
      );
      await violates(
        predict(sql, ids, { horizon: 2, confidence: 1.01 }),
        "prediction_confidence_check",
      );
      await violates(predict(sql, ids, { horizon: 3, mode: "backtest" }), "prediction_mode_check");
      await violates(predict(sql, { ...ids, modelId: 999_999 }), "prediction_model_id_fkey");
      const [row] = await sql<{ cited_news_ids: number[]; contaminated: boolean }[]>`
      select cited_news_ids, contaminated from prediction limit 1`;
      assert.deepEqual(row, { cited_news_ids: [], contaminated: false });
    },
  );

  await t.step("predictions keep their model: deleting it is refused", async () => {
    await violates(sql`delete from model where id = ${ids.modelId}`, "prediction_model_id_fkey");
  });

  await t.step("outcomes: one per prediction, result values", async () => {
    const [prediction] = await sql<{ id: number }[]>`select id from prediction limit 1`;
    const outcome = {
      prediction_id: prediction.id,
      entry_date: "2024-01-08",
      exit_date: "2024-01-12",
      entry_close: 185.56,
      exit_close: 185.92,
      realized_return: 0.00194,
      result: "flat",
      flat_threshold: 0.002,
    };
    await sql`insert into prediction_outcome ${sql(outcome)}`;
    await violates(
      sql`insert into prediction_outcome ${sql(outcome)}`,
      "prediction_outcome_prediction_key",
    );
    const [other] = await sql<{ id: number }[]>`
      select id from prediction where id <> ${prediction.id} limit 1`;
    await violates(
      sql`insert into prediction_outcome ${
        sql({ ...outcome, prediction_id: other.id, result: "draw" })
      }`,
      "prediction_outcome_result_check",
    );
  });

  await t.step("job runs: one running row per job; finished rows carry finished_at", async () => {
    await sql`insert into job_run (job, host) values ('crawl', 'here:1')`;
    await violates(
      sql`insert into job_run (job, host) values ('crawl', 'there:2')`,
      "job_run_one_running_key",
    );
    await sql`insert into job_run (job) values ('embed')`;
    await sql`
      update job_run set status = 'succeeded', finished_at = now(), counts = ${sql.json({ n: 3 })}
      where job = 'crawl'`;
    await sql`insert into job_run (job) values ('crawl')`;
    await violates(
      sql`update job_run set status = 'failed' where job = 'embed'`,
      /^job_run_check/,
    );
    const [run] = await sql<{ counts: Record<string, number> }[]>`
      select counts from job_run where job = 'crawl' and status = 'succeeded'`;
    assert.deepEqual(run.counts, { n: 3 });
  });

  await t.step("alerts: idempotency key unique; one subscription per chat and filter", async () => {
    const subscription = { chat_id: 42, stock_id: ids.stockId };
    await sql`insert into alert_subscription ${sql(subscription)}`;
    await violates(
      sql`insert into alert_subscription ${sql(subscription)}`,
      "alert_subscription_chat_rule_key",
    );
    const alert = { chat_id: 42, idempotency_key: "prediction:1:chat:42", payload: sql.json({}) };
    const inserted = await sql`
      insert into alert_outbox ${sql(alert)} on conflict (idempotency_key) do nothing returning id`;
    const again = await sql`
      insert into alert_outbox ${sql(alert)} on conflict (idempotency_key) do nothing returning id`;
    assert.deepEqual([inserted.length, again.length], [1, 0]);
    await violates(
      sql`update alert_outbox set status = 'delivered'`,
      "alert_outbox_status_check",
    );
  });

  await t.step("sessions: refresh token hashes are unique; deleting a user ends them", async () => {
    const [user] = await sql<{ id: number }[]>`select id from app_user limit 1`;
    const session = {
      user_id: user.id,
      family: crypto.randomUUID(),
      refresh_token_hash: "hash-1",
      expires_at: new Date(Date.now() + 86_400_000),
    };
    await sql`insert into session ${sql(session)}`;
    await violates(sql`insert into session ${sql(session)}`, "session_refresh_token_hash_key");
    await sql`delete from app_user where id = ${user.id}`;
    const rows = await sql`select 1 from session`;
    assert.equal(rows.length, 0);
  });
});
