// One Craveny process for the multi-process job tests (tests/ops/jobs_test.ts): it opens the real
// app context (lib/bootstrap.ts) from its environment and fires `runTick` — the function Deno.cron
// calls in production — for test-only jobs at wall-clock ticks the test sends it. Run with
// `deno run -A tests/support/tick_process.ts`.
//
// Environment: the app's own (DATABASE_URL, REDIS_URL, DATA_DIR, JOB_LOCK_TTL_MS, LOG_LEVEL…), and
//   REDIS_PREFIX   namespace of this test's Redis keys
//   TICK_DELAY_MS  fire each tick this late, like a process whose timers run late (busy event
//                  loop): a tick another process has finished by then must not run again
//   TICK_JOBS      "quick": every job name, each a job that does nothing;
//                  "slow": a `crawl` that writes SLOW_ITEMS items, each after SLOW_ITEM_MS of
//                  work, as three rows of `ops_probe` in one fenced transaction
// stdin: one JSON line {"firstTick": epoch ms, "tickMs": n, "ticks": m} once the test has seen
//   every process print "ready".
// stdout: JSON lines with an "event": ready, item (a committed item), outcome (one per job and
//   tick), done; the app's own log lines have none.
import { runTick } from "../../jobs/schedule.ts";
import { openAppContext } from "../../lib/bootstrap.ts";
import { loadConfig } from "../../lib/config.ts";
import { type Job, JOB_NAMES } from "../../lib/jobs/job.ts";
import { createLogger } from "../../lib/log.ts";

interface Schedule {
  firstTick: number;
  tickMs: number;
  ticks: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const emit = (event: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ event, ...fields }));

function quickJobs(): Job[] {
  return JOB_NAMES.map((name) => ({
    name,
    description: "does nothing, once per tick",
    run: () => Promise.resolve({ ticked: 1 }),
  }));
}

function slowJob(items: number, itemMs: number): Job {
  return {
    name: "crawl",
    description: "slow on purpose: items written in fenced transactions",
    async run({ app, fence, runId, signal }) {
      const sql = app.db.sql;
      let written = 0;
      for (let item = 1; item <= items && !signal.aborted; item++) {
        const [{ done }] = await sql<{ done: boolean }[]>`
          select exists (select 1 from ops_probe where item = ${item}) as done`;
        if (done) continue;
        await sleep(itemMs);
        await sql.begin(async (tx) => {
          await fence(tx);
          for (let part = 1; part <= 3; part++) {
            await tx`insert into ops_probe (item, part, run_id) values (${item}, ${part}, ${runId})`;
            await sleep(20); // a kill may land mid-transaction: the item must vanish whole
          }
        });
        emit("item", { item, runId });
        written++;
      }
      return { written };
    },
  };
}

async function readSchedule(): Promise<Schedule> {
  let text = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    if (text.includes("\n")) return JSON.parse(text.slice(0, text.indexOf("\n")));
  }
  throw new Error("stdin closed before the schedule arrived");
}

async function main() {
  const env = Deno.env.toObject();
  const config = loadConfig(env);
  const app = await openAppContext(config, createLogger(config.logLevel), {
    redisPrefix: env.REDIS_PREFIX,
  });
  const jobs = env.TICK_JOBS === "slow"
    ? [slowJob(Number(env.SLOW_ITEMS), Number(env.SLOW_ITEM_MS))]
    : quickJobs();
  emit("ready", { pid: Deno.pid });
  const { firstTick, tickMs, ticks } = await readSchedule();
  const never = new AbortController().signal; // stopped only by the test's signals
  const runs: Promise<void>[] = [];
  for (let index = 0; index < ticks; index++) {
    const tick = firstTick + index * tickMs;
    await sleep(tick + Number(env.TICK_DELAY_MS ?? 0) - Date.now());
    // Like Deno.cron: each job's tick fires on its own, whether earlier runs finished or not.
    for (const job of jobs) {
      runs.push(
        runTick(job, app, new Date(tick), never).then((outcome) =>
          emit("outcome", { tick: index, job: job.name, ...outcome })
        ),
      );
    }
  }
  await Promise.all(runs);
  await app.close();
  emit("done");
}

if (import.meta.main) await main();
