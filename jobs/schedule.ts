import type { AppContext } from "../lib/context.ts";
import { type Job, JOB_NAMES } from "../lib/jobs/job.ts";
import { type JobOutcome, runJob } from "../lib/jobs/runner.ts";
import { recentRuns } from "../lib/jobs/store.ts";
import { replayRecentHistory } from "../lib/predict/seed_replay.ts";
import { JOBS } from "./registry.ts";

/**
 * How far a process's clock may run ahead of the database's: a run that started this long before
 * a tick's instant still counts as that tick's run. Process clocks on one host are the same clock;
 * across hosts NTP keeps them within milliseconds. Ticks must be further apart than this plus the
 * time a process takes to start its run (cron ticks are at least a minute apart).
 */
const TICK_CLOCK_TOLERANCE_MS = 500;

/** The instant of the cron tick firing at `now`: cron schedules fire on whole minutes. */
function cronTickOf(now: Date): Date {
  return new Date(now.getTime() - now.getTime() % 60_000);
}

/**
 * One scheduled tick of `job`, as each process fires it (separate processes fire independently,
 * STACK-NOTES): the job runs unless another run holds its lock or another process already ran
 * this tick. Deno.cron calls it, and so do the multi-process tests (tests/support/tick_process.ts).
 */
export function runTick(
  job: Job,
  app: AppContext,
  tick: Date,
  signal: AbortSignal,
): Promise<JobOutcome> {
  return runJob(job, app, signal, [], {
    notRunSince: new Date(tick.getTime() - TICK_CLOCK_TOLERANCE_MS),
  });
}

/**
 * Registers every job with Deno.cron on the configured (UTC) schedule, as background work of
 * `app` (stopped and awaited at shutdown). Deno skips a tick while the previous one still runs in
 * this process; runTick covers other processes.
 */
export function registerSchedules(app: AppContext): void {
  const { signal } = app.background;
  for (const name of JOB_NAMES) {
    Deno.cron(`craveny-${name}`, app.config.schedules[name], { signal }, async () => {
      await app.background.track(runTick(JOBS[name], app, cronTickOf(new Date()), signal));
    });
  }
  // A first start should not wait for the schedules: when nothing was ever crawled, crawl, embed,
  // replay the built-in models over recent history, predict and evaluate now.
  app.background.track(firstRun(app, signal));
}

async function firstRun(app: AppContext, signal: AbortSignal): Promise<void> {
  try {
    if ((await recentRuns(app.db.sql, "crawl", 1)).length === 0) {
      app.log.info("no crawl has run yet: loading data, replaying history and evaluating now");
      await runJob(JOBS.crawl, app, signal);
      if (!signal.aborted) await runJob(JOBS.embed, app, signal);
      if (!signal.aborted) await replayRecentHistory(app, app.log, signal);
      for (const job of [JOBS.predict, JOBS.evaluate]) {
        if (!signal.aborted) await runJob(job, app, signal);
      }
    }
  } catch (error) {
    app.log.error("first run failed", { error });
  }
}
