// The predict job end to end on a real database and vector store: the seeded models (built-ins
// offline, GPT-4o against a local chat-completions server, OpenRouter without a key), idempotent
// reruns, failed attempts kept apart, the daily cap, A/B variants, contamination, and stocks
// without prices skipped with one line.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { loadConfig } from "../lib/config.ts";
import { embedPendingNews } from "../lib/embed/embed_news.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { upsertPriceBars } from "../lib/market/store.ts";
import { DEFAULT_MODELS } from "../lib/models/defaults.ts";
import { getModelByName, seedModels } from "../lib/models/store.ts";
import { createLlmClients } from "../lib/predict/llm_client.ts";
import { llmRunner } from "../lib/predict/llm_runner.ts";
import { upsertStocks } from "../lib/stocks/store.ts";
import { plantPointInTimeNews } from "../tests/support/canary.ts";
import { openTestContext } from "../tests/support/context.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { testBar } from "../tests/support/fixtures.ts";
import { type ChatBody, completion, withChatServer } from "../tests/support/llm_server.ts";
import { openTestVectorStore } from "../tests/support/vectors.ts";
import { createPredictJob } from "./predict.ts";

const quiet = createLogger("error", () => {});
const BUILTINS = DEFAULT_MODELS.filter((m) => m.provider === "builtin").length;

/** 60 weekdays of closes ending 2024-03-19, a gentle zig-zag upwards. */
async function addBars(sql: Sql, symbol: string, base: number) {
  const [stock] = await upsertStocks(sql, [{ symbol, exchange: "NASDAQ", name: symbol }]);
  const days: string[] = [];
  const day = new Date("2024-03-19T00:00:00Z");
  while (days.length < 60) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) {
      days.unshift(day.toISOString().slice(0, 10));
    }
    day.setUTCDate(day.getUTCDate() - 1);
  }
  const bars = days.map((date, i) => testBar(date, base + i * 0.5 + (i % 3) * 1.5));
  await upsertPriceBars(sql, stock, bars, "test");
}

/** A valid forecast for whatever the request asked: its horizon, citing the first shown id. */
function validAnswer(body: ChatBody): string {
  const user = body.messages.find((m) => m.role === "user")!.content;
  const horizon = Number(/close (\d+) trading days later/.exec(user)![1]);
  const cited = [...user.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).slice(0, 1);
  return JSON.stringify({
    direction: "up",
    confidence: 0.62,
    horizon,
    reasoning: "The 20-day return is positive and recent news is favourable.",
    citedNewsIds: cited,
  });
}

Deno.test("predict job: every model × stock × horizon once, LLM through the wire", async (t) => {
  await using db = await openTestDatabase();
  await using vectors = await openTestVectorStore();
  const { sql } = db;
  await addBars(sql, "AAPL", 170);
  await addBars(sql, "MSFT", 400);
  await upsertStocks(sql, [{ symbol: "TSLA", exchange: "NASDAQ", name: "Tesla" }]);
  await plantPointInTimeNews(sql);
  await seedModels(sql, [...DEFAULT_MODELS]);

  let answers: ((body: ChatBody) => Response)[] = [(body) => completion(validAnswer(body))(body)];
  await withChatServer([(body) => answers[0](body)], async (baseURL, seen) => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test-0123456789abcdefghij",
      OPENAI_BASE_URL: baseURL,
      PREDICT_HORIZONS: "1,5",
    });
    await using app = await openTestContext({ db, vectors: vectors.store, config, log: quiet });
    await embedPendingNews({ ...app, sql, log: quiet });
    const clients = createLlmClients(config, quiet, {
      retry: { attempts: 1, timeoutMs: 5_000, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const job = createPredictJob(() => llmRunner(clients));
    const gpt = (await getModelByName(sql, "gpt-4o"))!;

    await t.step(
      "first run: built-ins and GPT-4o predict; OpenRouter and TSLA are skipped",
      async () => {
        let notices = 0;
        const stop = app.newPredictions.listen({ notice: () => notices++, closed: () => {} });
        const outcome = await runJob(job, app);
        stop();
        assert.equal(outcome.status, "succeeded", JSON.stringify(outcome));
        const counts = outcome.status === "succeeded" ? outcome.counts : {};
        assert.equal(notices, counts.predicted, "open prediction streams hear of each one");
        const slots = 2 /* stocks */ * 2 /* horizons */;
        assert.equal((counts.predicted ?? 0) + (counts.abstained ?? 0), slots * (BUILTINS + 1));
        assert.equal(counts["skipped.no_api_key"], slots, "OpenRouter has no key");
        assert.equal(counts["skipped.stock_without_prices"], 1, "TSLA");
        assert.equal(seen.length, slots, "one chat call per GPT-4o prediction");
        assert.equal(seen[0].body.model, "gpt-4o");
        assert.equal(seen[0].body.temperature, 0);
      },
    );

    await t.step("the prediction keeps its full run record", async () => {
      const [row] = await sql<Record<string, unknown>[]>`
        select p.*, s.symbol from prediction p join stock s on s.id = p.stock_id
        where model_id = ${gpt.id} and s.symbol = 'AAPL' and horizon = 5`;
      assert.equal(row.direction, "up");
      assert.equal(row.mode, "live");
      assert.equal(row.contaminated, false, "as of 2024 is after the 2023-10 cutoff");
      assert.equal((row.as_of as Date).toISOString(), "2024-03-19T20:00:00.000Z", "latest close");
      assert.equal(row.input_tokens, 100);
      assert.equal(row.output_tokens, 20);
      assert.ok(Math.abs((row.cost as number) - (100 * 2.5e-6 + 20 * 10e-6)) < 1e-12);
      assert.equal(row.prompt_id, gpt.prompt!.id);
      assert.match(row.inputs_hash as string, /^[0-9a-f]{64}$/);
      const record = row.run_record as Record<string, unknown>;
      assert.equal(record.providerModelId, "gpt-4o");
      assert.deepEqual(record.prompt, { version: 1, hash: gpt.prompt!.hash });
      assert.equal(record.embedder, app.embedder.id);
      assert.equal((record.retrieval as { k: number }).k, 5);
      const shown = row.shown_news_ids as number[];
      assert.ok(shown.length > 0);
      assert.ok((row.cited_news_ids as number[]).every((id) => shown.includes(id)));
    });

    await t.step("a rerun adds nothing and calls no model", async () => {
      const calls = seen.length;
      const outcome = await runJob(job, app);
      const counts = outcome.status === "succeeded" ? outcome.counts : {};
      assert.equal(counts.predicted, undefined);
      assert.equal(seen.length, calls);
    });

    await t.step("invalid answers become failed attempts, never predictions", async () => {
      await sql`delete from prediction where model_id = ${gpt.id}`;
      answers = [completion("I think it will go up.")];
      const calls = seen.length;
      const outcome = await runJob(job, app);
      const counts = outcome.status === "succeeded" ? outcome.counts : {};
      assert.equal(counts.failed, 4);
      assert.equal(seen.length - calls, 8, "each invalid answer is retried once");
      const [{ predictions }] = await sql<{ predictions: number }[]>`
        select count(*)::int as predictions from prediction where model_id = ${gpt.id}`;
      assert.equal(predictions, 0);
      const attempts = await sql<{ error: string; answer: string; cost: number }[]>`
        select error, answer, cost from prediction_attempt where model_id = ${gpt.id}`;
      assert.equal(attempts.length, 4);
      assert.equal(attempts[0].answer, "I think it will go up.");
      assert.ok(attempts[0].cost > 0, "failed calls are paid for too");
    });

    await t.step("the daily cap stops the model cleanly", async () => {
      await sql`update model set daily_cap_usd = 0.0001 where id = ${gpt.id}`;
      answers = [(body) => completion(validAnswer(body))(body)];
      const calls = seen.length;
      const outcome = await runJob(job, app);
      const counts = outcome.status === "succeeded" ? outcome.counts : {};
      assert.equal(seen.length, calls, "already over the cap: not one call");
      assert.equal(counts["skipped.daily_cap"], 4);
      await sql`update model set daily_cap_usd = null where id = ${gpt.id}`;
    });
  });
});

Deno.test("predict job: a running A/B experiment assigns each stock one variant, recorded", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  for (const [i, symbol] of ["AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOGL"].entries()) {
    await addBars(sql, symbol, 100 + i * 50);
  }
  await seedModels(sql, [...DEFAULT_MODELS]);
  const momentum = (await getModelByName(sql, "momentum"))!;
  const reversion = (await getModelByName(sql, "mean-reversion"))!;
  const [experiment] = await sql<{ id: number }[]>`
    insert into ab_test (name, variants, status, starts_at)
    values ('trend vs reversion', ${
    sql.json([{ name: "trend", modelId: momentum.id, weight: 1 }, {
      name: "reversion",
      modelId: reversion.id,
      weight: 1,
    }])
  }, 'running', '2024-01-01')
    returning id`;
  await using app = await openTestContext({
    db,
    config: loadConfig({ PREDICT_HORIZONS: "1" }),
    log: quiet,
  });
  const outcome = await runJob(createPredictJob(() => () => null), app);
  assert.equal(outcome.status, "succeeded");
  const rows = await sql<
    { symbol: string; model_id: number; variant: string | null; ab: number | null }[]
  >`
    select s.symbol, p.model_id, p.variant, p.ab_test_id as ab
    from prediction p join stock s on s.id = p.stock_id
    where p.model_id in (${momentum.id}, ${reversion.id})`;
  const bySymbol = Map.groupBy(rows, (row) => row.symbol);
  assert.equal(bySymbol.size, 6);
  for (const [symbol, predictions] of bySymbol) {
    assert.equal(predictions.length, 1, `${symbol}: exactly one variant predicts`);
    const [p] = predictions;
    assert.equal(p.ab, experiment.id);
    assert.equal(p.variant, p.model_id === momentum.id ? "trend" : "reversion");
  }
});
