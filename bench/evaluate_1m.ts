// The evaluate job over 1,000,000 synthetic predictions (5 models × 20 stocks × 2,000 days × 5
// horizons over ~2,100 generated bars per stock): outcome labelling, then every metric of every
// model, mode and window. Once into a fresh embedded PGlite and, when DATABASE_URL is set, once
// into a fresh database on that server. Each run prints its seconds; the baseline is generating
// and inserting the same predictions in that database (same run, same machine).
// A script rather than a `deno bench` file: Deno runs a bench function three times, and one run
// is minutes of work.
//   deno run -A bench/evaluate_1m.ts [--embedded | --postgres]
import type { Sql } from "postgres";
import { createEvaluateJob } from "../jobs/evaluate.ts";
import { labelOutcomes } from "../lib/evaluate/outcomes.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { openTestContext } from "../tests/support/context.ts";
import { openTestDatabase } from "../tests/support/database.ts";

const quiet = createLogger("error", () => {});
const STOCKS = 20;
const DAYS = 2_000;
const HORIZONS = [1, 2, 3, 5, 10];
/** Enough weekdays for DAYS as-of days plus the longest horizon. */
const CALENDAR_DAYS = 3_000;

async function generate(sql: Sql): Promise<number> {
  await sql`
    insert into stock (symbol, exchange, name)
    select 'S' || lpad(s::text, 2, '0'), 'BENCH', 'Bench ' || s from generate_series(1, ${STOCKS}) s`;
  await sql`
    insert into model (name, provider, model_id)
    select 'bench-' || m, 'builtin', 'momentum' from generate_series(1, 5) m`;
  // Weekdays from 2015-01-05; closes a positive wave plus noise, one row per stock-day.
  await sql`
    insert into price_bar (stock_id, date, open, high, low, close, volume, closed_at, source)
    select st.id, d.day, c.close, c.close * 1.01, c.close * 0.99, c.close, 1000,
      (d.day + time '21:00') at time zone 'UTC', 'bench'
    from stock st
    cross join lateral (
      select date '2015-01-05' + i as day from generate_series(0, ${CALENDAR_DAYS}::int) i
      where extract(isodow from date '2015-01-05' + i) < 6
    ) d
    cross join lateral (
      select 100 * (1.5 + sin((d.day - date '2015-01-05') / 30.0 + st.id)) + random() * 5 as close
    ) c`;
  const started = performance.now();
  await sql`
    insert into prediction (model_id, stock_id, as_of, horizon, direction, confidence, mode)
    select m.id, b.stock_id, b.closed_at, h, (array['up', 'down', 'flat'])[1 + floor(random() * 3)::int],
      random(), 'replay'
    from model m
    cross join lateral (
      select stock_id, closed_at from price_bar where source = 'bench'
      order by stock_id, date limit ${STOCKS * DAYS}
    ) b
    cross join unnest(${HORIZONS}::int[]) h`;
  return (performance.now() - started) / 1000;
}

async function run(name: string, db: Awaited<ReturnType<typeof openTestDatabase>>) {
  const insertSeconds = await generate(db.sql);
  await using app = await openTestContext({ db, log: quiet });
  let started = performance.now();
  const labelled = await labelOutcomes(db.sql, {
    band: app.config.evaluate.flatBand,
    now: new Date(),
    batchSize: 20_000,
  });
  const labelSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const outcome = await runJob(createEvaluateJob(), app);
  const metricSeconds = (performance.now() - started) / 1000;
  if (outcome.status !== "succeeded") throw new Error(JSON.stringify(outcome));
  console.log(
    `${name}: inserting 1,000,000 predictions ${insertSeconds.toFixed(1)} s (baseline); ` +
      `labelling ${labelled.toLocaleString("en-US")} ${labelSeconds.toFixed(1)} s ` +
      `(${(labelSeconds / insertSeconds).toFixed(2)}×); daily performance + snapshots ` +
      `${metricSeconds.toFixed(1)} s (${(metricSeconds / insertSeconds).toFixed(2)}×)`,
  );
}

const only = Deno.args[0];
if (only !== "--postgres") {
  await using db = await openTestDatabase({ embedded: true });
  await run("embedded", db);
}
if (only !== "--embedded") {
  if (!Deno.env.get("DATABASE_URL")) console.log("postgres: skipped (DATABASE_URL not set)");
  else {
    await using db = await openTestDatabase();
    await run("postgres", db);
  }
}
