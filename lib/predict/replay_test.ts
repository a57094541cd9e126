// Replays through the live code path: day by day, resumable after an interruption, LLM
// predictions before the model's knowledge cutoff flagged contaminated.
import assert from "node:assert/strict";
import { openTestContext } from "../../tests/support/context.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { completion, withChatServer } from "../../tests/support/llm_server.ts";
import { loadConfig } from "../config.ts";
import type { JobCounts } from "../jobs/job.ts";
import { createLogger } from "../log.ts";
import { upsertPriceBars } from "../market/store.ts";
import { DEFAULT_MODELS } from "../models/defaults.ts";
import { getModelByName, seedModels } from "../models/store.ts";
import { upsertStocks } from "../stocks/store.ts";
import { createLlmClients } from "./llm_client.ts";
import { llmRunner } from "./llm_runner.ts";
import { SpendingGuard, tallyInto } from "./predict.ts";
import { formatDuration, replayPredictions, replayProgressLine } from "./replay.ts";

const quiet = createLogger("error", () => {});

Deno.test("replayProgressLine and formatDuration", () => {
  assert.equal(
    replayProgressLine(45, 100, 9_000, 10),
    "[#####-----]  45%  45/100 stock-days  5.0/s  ETA 0:11",
  );
  assert.equal(replayProgressLine(0, 0, 0, 4), "[####] 100%  0/0 stock-days  0.0/s  ETA –");
  assert.equal(formatDuration(3_723_000), "1:02:03");
  assert.equal(formatDuration(0), "0:00");
});

Deno.test("replay: every trading day once, resumable, contamination flagged", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const stocks = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft" },
  ]);
  const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2024, 0, 2 + i)))
    .filter((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6)
    .map((d) => d.toISOString().slice(0, 10));
  for (const stock of stocks) {
    await upsertPriceBars(sql, stock, days.map((day, i) => testBar(day, 100 + i)), "test");
  }
  await seedModels(sql, [...DEFAULT_MODELS]);
  await sql`update model set knowledge_cutoff = '2024-02-08' where name = 'gpt-4o'`;
  const models = [(await getModelByName(sql, "momentum"))!, (await getModelByName(sql, "gpt-4o"))!];
  const from = days[25];
  const to = days.at(-1)!;
  const replayDays = days.filter((day) => day >= from);

  await withChatServer([(body) => {
    const user = body.messages.find((m) => m.role === "user")!.content;
    const horizon = Number(/close (\d+) trading days later/.exec(user)![1]);
    return completion(JSON.stringify({
      direction: "down",
      confidence: 0.4,
      horizon,
      reasoning: "Stretched after a long run.",
      citedNewsIds: [],
    }))(body);
  }], async (baseURL) => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test-0123456789abcdefghij",
      OPENAI_BASE_URL: baseURL,
      PREDICT_HORIZONS: "1",
    });
    await using app = await openTestContext({ db, config, log: quiet });
    const run = async (signal?: AbortSignal, stopAfter = Infinity) => {
      const counts: JobCounts = {};
      const controller = new AbortController();
      const done = await replayPredictions({
        app,
        llm: llmRunner(createLlmClients(config, quiet)),
        spending: new SpendingGuard(app, () => new Date()),
        log: quiet,
        tally: tallyInto(counts),
        signal: signal ?? controller.signal,
      }, {
        from,
        to,
        models,
        stocks,
        horizons: [1],
        onProgress: (n) => n >= stopAfter && controller.abort(),
      });
      return { done, counts };
    };

    await t.step("interrupted after 5 stock-days: whole predictions only", async () => {
      const { done, counts } = await run(undefined, 5);
      assert.equal(done, 5);
      assert.equal(counts.predicted, 10);
    });

    await t.step(
      "run again: it resumes, and every stock-day has one prediction per model",
      async () => {
        const { done, counts } = await run();
        assert.equal(done, replayDays.length * 2);
        assert.equal(counts.existing, 10);
        assert.equal(counts.predicted, replayDays.length * 2 * 2 - 10);
        const rows = await sql<{ mode: string; n: number }[]>`
        select mode, count(*)::int as n from prediction group by mode`;
        assert.deepEqual([...rows], [{ mode: "replay", n: replayDays.length * 4 }]);
      },
    );

    await t.step("LLM predictions before the knowledge cutoff are contaminated", async () => {
      const rows = await sql<{ day: string; contaminated: boolean; name: string }[]>`
        select to_char(p.as_of, 'YYYY-MM-DD') as day, p.contaminated, m.name
        from prediction p join model m on m.id = p.model_id`;
      for (const row of rows) {
        const expected = row.name === "gpt-4o" && row.day < "2024-02-08";
        assert.equal(row.contaminated, expected, JSON.stringify(row));
      }
      assert.ok(rows.some((row) => row.contaminated), "not vacuous");
    });
  });
});
