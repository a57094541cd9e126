import type { AppContext } from "../lib/context.ts";
import { JOB_NAMES } from "../lib/jobs/job.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { JOBS } from "./registry.ts";

/**
 * Registers every job with Deno.cron on the configured (UTC) schedule. Deno skips a tick while
 * the previous one still runs in this process; the job lock covers other processes.
 */
export function registerSchedules(app: AppContext, signal: AbortSignal): void {
  for (const name of JOB_NAMES) {
    Deno.cron(`craveny-${name}`, app.config.schedules[name], { signal }, async () => {
      await runJob(JOBS[name], app, signal);
    });
  }
}
