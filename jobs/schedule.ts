import type { AppContext } from "../lib/context.ts";
import { JOB_NAMES } from "../lib/jobs/job.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { recentRuns } from "../lib/jobs/store.ts";
import { replayRecentHistory } from "../lib/predict/seed_replay.ts";
import { JOBS } from "./registry.ts";

export interface Schedules {
  /** Resolves once no job started by these schedules is running (after `signal` aborts them). */
  idle(): Promise<void>;
}

/**
 * Registers every job with Deno.cron on the configured (UTC) schedule. Deno skips a tick while
 * the previous one still runs in this process; the job lock covers other processes.
 */
export function registerSchedules(app: AppContext, signal: AbortSignal): Schedules {
  const running = new Set<Promise<unknown>>();
  const track = (run: Promise<unknown>) => {
    running.add(run);
    return run.finally(() => running.delete(run));
  };
  for (const name of JOB_NAMES) {
    Deno.cron(`craveny-${name}`, app.config.schedules[name], { signal }, async () => {
      await track(runJob(JOBS[name], app, signal));
    });
  }
  // A first start should not wait for the schedules: when nothing was ever crawled, crawl, embed,
  // replay the built-in models over recent history, predict and evaluate now.
  track(firstRun(app, signal));
  return { idle: async () => void await Promise.allSettled([...running]) };
}

async function firstRun(app: AppContext, signal: AbortSignal): Promise<void> {
  try {
    if ((await recentRuns(app.db.sql, "crawl", 1)).length === 0) {
      app.log.info("no crawl has run yet: loading data, replaying history and evaluating now");
      await runJob(JOBS.crawl, app, signal);
      await runJob(JOBS.embed, app, signal);
      if (!signal.aborted) await replayRecentHistory(app, app.log, signal);
      for (const job of [JOBS.predict, JOBS.evaluate]) {
        if (!signal.aborted) await runJob(job, app, signal);
      }
    }
  } catch (error) {
    app.log.error("first run failed", { error });
  }
}
