// The operational metrics against a seeded database (Postgres with DATABASE_URL, else PGlite):
// values computed by hand from the rows, the scrape cache, a database that stops answering, and
// /metrics of the real app.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { unembeddableMark } from "../embed/store.ts";
import { createLogger } from "../log.ts";
import { Registry } from "../metrics.ts";
import { seedDefaultUniverse } from "../stocks/universe.ts";
import { startTestApp } from "../../tests/support/app.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { addTestNews } from "../../tests/support/news.ts";
import { addTestModels, addTestPredictions } from "../../tests/support/predictions.ts";
import { registerOpsMetrics } from "./ops_metrics.ts";

const EMBEDDER = "offline:test:384";
const quiet = createLogger("error", () => {});

/** The value of one sample line, e.g. `metric{a="b"} 3`; undefined when the line is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function addRun(sql: Sql, job: string, status: string, startHour: number, seconds: number) {
  const started = new Date(Date.UTC(2025, 0, 1, startHour));
  await sql`
    insert into job_run (job, status, started_at, finished_at)
    values (${job}, ${status}, ${started}, ${new Date(started.getTime() + seconds * 1000)})`;
}

async function addOutbox(sql: Sql, status: string, count: number) {
  for (let i = 0; i < count; i++) {
    await sql`
      insert into alert_outbox (chat_id, idempotency_key, payload, status, sent_at)
      values (42, ${crypto.randomUUID()}, '{}', ${status},
        ${status === "sent" ? new Date() : null})`;
  }
}

async function seed(sql: Sql) {
  await seedDefaultUniverse(sql);
  await addRun(sql, "crawl", "succeeded", 1, 0.25);
  await addRun(sql, "crawl", "succeeded", 2, 3);
  await addRun(sql, "crawl", "succeeded", 3, 100);
  await addRun(sql, "crawl", "failed", 4, 10);
  await addRun(sql, "embed", "partial", 5, 4000);
  await addRun(sql, "evaluate", "failed", 6, 1);
  // Still running: no duration yet.
  await sql`insert into job_run (job) values ('predict')`;

  await addOutbox(sql, "pending", 2);
  await addOutbox(sql, "sent", 1);
  await addOutbox(sql, "failed", 1);

  await addTestModels(sql, [
    { name: "gpt-test", provider: "openai", prompt: "Predict {{symbol}}" },
    { name: "quiet-llm", provider: "openrouter", prompt: "Predict {{symbol}}" },
    { name: "momentum-test" },
  ]);
  const prediction = { symbol: "AAPL", direction: "up", confidence: 0.6 } as const;
  await addTestPredictions(sql, [
    {
      ...prediction,
      model: "gpt-test",
      asOf: "2025-01-02T21:00:00Z",
      inputTokens: 100,
      outputTokens: 20,
      cost: 0.25,
    },
    {
      ...prediction,
      model: "gpt-test",
      asOf: "2025-01-03T21:00:00Z",
      inputTokens: 300,
      outputTokens: 40,
      cost: 0.5,
    },
    { ...prediction, model: "momentum-test", asOf: "2025-01-03T21:00:00Z" },
  ]);
  await sql`
    insert into prediction_attempt (model_id, stock_id, as_of, horizon, mode, error, input_tokens,
      output_tokens, cost)
    select m.id, s.id, '2025-01-04T21:00:00Z', 5, 'live', 'invalid answer', 50, 0, 0.125
    from model m, stock s where m.name = 'gpt-test' and s.symbol = 'AAPL'`;

  const published = new Date("2025-01-02T12:00:00Z");
  const [embedded, refused, , , , older] = await addTestNews(sql, [
    { title: "Embedded already", publishedAt: published },
    { title: "Refused by the embedder", publishedAt: published },
    { title: "No trustworthy date", publishedAt: null },
    { title: "Waiting one", publishedAt: published },
    { title: "Waiting two", publishedAt: published },
    { title: "Embedded by an older embedder", publishedAt: published },
  ], published);
  const mark = (id: number, embedder: string) =>
    sql`update news set embedded_with = ${embedder}, embedded_at = now() where id = ${id}`;
  await mark(embedded, EMBEDDER);
  await mark(refused, unembeddableMark(EMBEDDER));
  await mark(older, "offline:old:128");
}

Deno.test("ops metrics: job durations, last successes, outbox, LLM usage and backlog", async () => {
  await using db = await openTestDatabase();
  await seed(db.sql);
  const registry = new Registry();
  registerOpsMetrics(registry, { sql: db.sql, embedderId: EMBEDDER, log: quiet });
  const text = await registry.scrape();

  assert.equal(sample(text, "craveny_ops_metrics_up"), 1);
  assert.match(text, /^# TYPE craveny_job_run_duration_seconds histogram$/m);
  const crawl = (le: string) =>
    sample(
      text,
      `craveny_job_run_duration_seconds_bucket{job="crawl",status="succeeded",le="${le}"}`,
    );
  // 0.25 s, 3 s and 100 s.
  assert.deepEqual(["0.5", "1", "5", "60", "120", "3600", "+Inf"].map(crawl), [
    1,
    1,
    2,
    2,
    3,
    3,
    3,
  ]);
  assert.equal(
    sample(text, 'craveny_job_run_duration_seconds_sum{job="crawl",status="succeeded"}'),
    103.25,
  );
  assert.equal(
    sample(text, 'craveny_job_run_duration_seconds_count{job="crawl",status="succeeded"}'),
    3,
  );
  assert.equal(
    sample(text, 'craveny_job_run_duration_seconds_bucket{job="crawl",status="failed",le="5"}'),
    0,
  );
  assert.equal(
    sample(text, 'craveny_job_run_duration_seconds_bucket{job="crawl",status="failed",le="15"}'),
    1,
  );
  // 4000 s: above the largest bound.
  assert.equal(
    sample(text, 'craveny_job_run_duration_seconds_bucket{job="embed",status="partial",le="3600"}'),
    0,
  );
  assert.equal(
    sample(text, 'craveny_job_run_duration_seconds_bucket{job="embed",status="partial",le="+Inf"}'),
    1,
  );
  // Exactly 1 s: a bucket includes its upper bound.
  const evaluate = (le: string) =>
    sample(
      text,
      `craveny_job_run_duration_seconds_bucket{job="evaluate",status="failed",le="${le}"}`,
    );
  assert.deepEqual(["0.5", "1", "5"].map(evaluate), [0, 1, 1]);
  assert.doesNotMatch(text, /job="predict"/, "a running job has no duration and no success yet");

  const at = (hour: number, seconds: number) => Date.UTC(2025, 0, 1, hour) / 1000 + seconds;
  assert.equal(sample(text, 'craveny_job_last_success_timestamp_seconds{job="crawl"}'), at(3, 100));
  assert.equal(
    sample(text, 'craveny_job_last_success_timestamp_seconds{job="embed"}'),
    at(5, 4000),
  );
  assert.equal(
    sample(text, 'craveny_job_last_success_timestamp_seconds{job="evaluate"}'),
    undefined,
  );

  const outbox = (status: string) =>
    sample(text, `craveny_alert_outbox_messages{status="${status}"}`);
  assert.deepEqual(
    ["pending", "sending", "sent", "failed", "cancelled", "unknown"].map(outbox),
    [2, 0, 1, 1, 0, 0],
  );

  assert.match(text, /^# TYPE craveny_llm_tokens_total counter$/m);
  // Two predictions and one failed attempt; the built-in model is not an LLM.
  assert.equal(sample(text, 'craveny_llm_tokens_total{model="gpt-test",direction="input"}'), 450);
  assert.equal(sample(text, 'craveny_llm_tokens_total{model="gpt-test",direction="output"}'), 60);
  assert.equal(sample(text, 'craveny_llm_cost_usd_total{model="gpt-test"}'), 0.875);
  assert.equal(sample(text, 'craveny_llm_calls_total{model="gpt-test",outcome="prediction"}'), 2);
  assert.equal(sample(text, 'craveny_llm_calls_total{model="gpt-test",outcome="failed"}'), 1);
  assert.equal(sample(text, 'craveny_llm_cost_usd_total{model="quiet-llm"}'), 0);
  assert.doesNotMatch(text, /model="momentum-test"/);

  // Two never embedded and one embedded by another embedder; not the refused or undated ones.
  assert.equal(sample(text, `craveny_news_embedding_backlog{embedder="${EMBEDDER}"}`), 3);
});

Deno.test("ops metrics: scrapes within the cache period share one read", async () => {
  await using db = await openTestDatabase();
  await seedDefaultUniverse(db.sql);
  // The same connection pool, counting the reads (each is one transaction).
  let reads = 0;
  const sql = new Proxy(db.sql, {
    get(target, property, receiver) {
      if (property === "begin") reads++;
      return Reflect.get(target, property, receiver);
    },
  });
  let now = 0;
  const registry = new Registry();
  registerOpsMetrics(registry, { sql, embedderId: EMBEDDER, log: quiet }, {
    cacheMs: 5_000,
    now: () => now,
  });
  const backlog = async () =>
    sample(await registry.scrape(), `craveny_news_embedding_backlog{embedder="${EMBEDDER}"}`);
  assert.equal(await backlog(), 0);
  assert.equal(reads, 1);
  await addTestNews(db.sql, [{ title: "Fresh", publishedAt: new Date() }], new Date());
  now = 4_999;
  assert.deepEqual(await Promise.all([backlog(), backlog()]), [0, 0]);
  assert.equal(reads, 1, "read again before the cache period ended");
  now = 5_000;
  // Stale: two scrapes at once wait for the same read.
  assert.deepEqual(await Promise.all([backlog(), backlog(), backlog()]), [1, 1, 1]);
  assert.equal(reads, 2);
});

Deno.test("ops metrics: a database that fails drops the numbers and says so", async () => {
  const db = await openTestDatabase();
  const logs: string[] = [];
  const registry = new Registry();
  registerOpsMetrics(registry, {
    sql: db.sql,
    embedderId: EMBEDDER,
    log: createLogger("warn", (line) => logs.push(line)),
  }, { cacheMs: 0 });
  assert.equal(sample(await registry.scrape(), "craveny_ops_metrics_up"), 1);
  await db.dispose();
  const text = await registry.scrape();
  assert.equal(sample(text, "craveny_ops_metrics_up"), 0);
  assert.doesNotMatch(text, /^craveny_(alert|news|job|llm)_/m);
  assert.match(logs.join("\n"), /operational metrics unavailable/);
});

Deno.test("/metrics of the app serves the request metrics and the operational ones", async () => {
  const server = await startTestApp();
  try {
    await fetch(`${server.url}/health`).then((response) => response.body?.cancel());
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.equal(sample(text, "craveny_ops_metrics_up"), 1);
    assert.match(text, /^http_requests_total\{method="GET",route="\/health",status="200"\} 1$/m);
    assert.equal(
      sample(text, `craveny_news_embedding_backlog{embedder="${server.context.embedder.id}"}`),
      0,
    );
  } finally {
    await server.close();
  }
});
