// The evaluate job on a real database: labels outcomes, writes daily performance per mode and
// snapshots per window and population (contaminated apart), gives a model without predictions an
// empty "no data" snapshot, and reruns without changing the result.
import assert from "node:assert/strict";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { upsertPriceBars } from "../lib/market/store.ts";
import { upsertStocks } from "../lib/stocks/store.ts";
import { openTestContext } from "../tests/support/context.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { testBar } from "../tests/support/fixtures.ts";
import { addTestModels, addTestPredictions } from "../tests/support/predictions.ts";
import { createEvaluateJob, inWindow } from "./evaluate.ts";

const quiet = createLogger("error", () => {});

Deno.test("inWindow: the last n days up to the latest exit day", () => {
  const at = (exitDate: string) => ({ exitDate }) as Parameters<typeof inWindow>[0][number];
  const all = ["2024-01-01", "2024-02-15", "2024-03-01", "2024-03-30"].map(at);
  assert.deepEqual(inWindow(all, 30).map((p) => p.exitDate), ["2024-03-01", "2024-03-30"]);
  assert.equal(inWindow(all, null).length, 4);
  assert.deepEqual(inWindow([], 30), []);
});

Deno.test("evaluate job", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const [aapl] = await upsertStocks(sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);
  // Weekdays of January 2024, closes rising 1 a day from 100.
  const days = Array.from({ length: 31 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)))
    .filter((d) => d.getUTCDay() % 6 !== 0).map((d) => d.toISOString().slice(0, 10));
  await upsertPriceBars(sql, aapl, days.map((day, i) => testBar(day, 100 + i)), "test");
  await addTestModels(sql, [{ name: "trend" }, { name: "idle" }]);
  const asOf = (day: string) => `${day}T21:00:00Z`;
  await addTestPredictions(sql, [
    ...days.slice(0, 10).map((day) => ({
      model: "trend",
      symbol: "AAPL",
      asOf: asOf(day),
      horizon: 1,
      direction: "up" as const,
      confidence: 0.7,
      mode: "replay" as const,
    })),
    {
      model: "trend",
      symbol: "AAPL",
      asOf: asOf(days[3]),
      horizon: 2,
      direction: "down",
      confidence: 0.6,
      mode: "live",
    },
    {
      model: "trend",
      symbol: "AAPL",
      asOf: asOf(days[4]),
      horizon: 2,
      direction: "up",
      confidence: 0.9,
      mode: "replay",
      contaminated: true,
    },
    // Beyond the bars: stays pending.
    {
      model: "trend",
      symbol: "AAPL",
      asOf: asOf(days.at(-1)!),
      horizon: 5,
      direction: "up",
      confidence: 0.5,
      mode: "live",
    },
  ]);
  await using app = await openTestContext({ db, log: quiet });
  const job = createEvaluateJob();

  await t.step("labels, then writes daily performance and snapshots", async () => {
    const outcome = await runJob(job, app);
    assert.equal(outcome.status, "succeeded", JSON.stringify(outcome));
    const counts = outcome.status === "succeeded" ? outcome.counts : {};
    assert.equal(counts.labelled, 12);
    const daily = await sql<{ mode: string; n: number; wins: number; cumulative_return: number }[]>`
      select d.mode, d.n, d.wins, d.cumulative_return from daily_performance d
      join model m on m.id = d.model_id where m.name = 'trend' order by d.mode, d.date`;
    assert.equal(daily.filter((d) => d.mode === "replay").length, 10, "contaminated one left out");
    assert.ok(daily.filter((d) => d.mode === "replay").every((d) => d.wins === d.n));
    assert.equal(daily.filter((d) => d.mode === "live").length, 1);
    assert.ok(daily.at(-1)!.cumulative_return > 0);
  });

  await t.step("snapshots: windows × populations, contaminated reported apart", async () => {
    const rows = await sql<
      {
        name: string;
        mode: string;
        population: string;
        window_days: number | null;
        n: number;
        metrics: { winRate: { value: number } | null; meanStrategyReturn: number | null };
      }[]
    >`
      select m.name, e.mode, e.population, e.window_days, e.n, e.metrics
      from evaluation e join model m on m.id = e.model_id
      order by m.name, e.mode, e.population, e.window_days nulls last`;
    const trend = rows.filter((r) => r.name === "trend");
    const replayClean = trend.filter((r) => r.mode === "replay" && r.population === "clean");
    assert.deepEqual(replayClean.map((r) => [r.window_days, r.n]), [[30, 10], [90, 10], [
      null,
      10,
    ]]);
    assert.equal(replayClean[2].metrics.winRate?.value, 1);
    const contaminated = trend.filter((r) => r.population === "contaminated");
    assert.deepEqual(contaminated.map((r) => [r.mode, r.n]), [["replay", 1], ["replay", 1], [
      "replay",
      1,
    ]]);
    const live = trend.filter((r) => r.mode === "live" && r.population === "clean");
    assert.equal(live.at(-1)?.n, 1, "the pending one is not counted");
    const idle = rows.filter((r) => r.name === "idle");
    assert.ok(idle.length > 0, "a model without predictions still has its snapshot");
    assert.ok(idle.every((r) => r.n === 0 && r.metrics.winRate === null));
    assert.ok(idle.every((r) => r.metrics.meanStrategyReturn === null), "no data, not NaN");
  });

  await t.step("a rerun labels nothing and recomputes the same numbers", async () => {
    const before =
      await sql`select model_id, mode, date, n, cumulative_return from daily_performance order by 1, 2, 3`;
    const outcome = await runJob(job, app);
    assert.equal(outcome.status === "succeeded" && outcome.counts.labelled, 0);
    const after =
      await sql`select model_id, mode, date, n, cumulative_return from daily_performance order by 1, 2, 3`;
    assert.deepEqual([...after], [...before]);
  });
});
