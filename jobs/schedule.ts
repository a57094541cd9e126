import type { AppContext } from "../lib/context.ts";
import { JOB_NAMES } from "../lib/jobs/job.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { recentRuns } from "../lib/jobs/store.ts";
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
  // A first start should not wait for the schedules: crawl, embed and predict now if never crawled.
  track(crawlIfNeverRun(app, signal));
  return { idle: async () => void await Promise.allSettled([...running]) };
}

async function crawlIfNeverRun(app: AppContext, signal: AbortSignal): Promise<void> {
  try {
    if ((await recentRuns(app.db.sql, "crawl", 1)).length === 0) {
      app.log.info("no crawl has run yet: crawling, embedding and predicting now");
      for (const job of [JOBS.crawl, JOBS.embed, JOBS.predict]) {
        if (!signal.aborted) await runJob(job, app, signal);
      }
    }
  } catch (error) {
    app.log.error("first crawl failed", { error });
  }
}
