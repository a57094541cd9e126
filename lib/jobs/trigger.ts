// "Run it now" from the admin console or the API: the run goes on in the background under the
// job's lock, exactly as a scheduled run, and stops with the process at shutdown.
import type { AppContext } from "../context.ts";
import type { Job } from "./job.ts";
import { runJob } from "./runner.ts";

/** started: it holds the lock and has its job_run row; busy: another run holds the lock. */
export type TriggerResult = "started" | "busy" | "failed";

/**
 * Starts `job` without waiting for it to finish. Resolves once it has started, or when it could
 * not: another run holds the lock ("busy"), or recording the run failed ("failed"). Refused
 * ("busy") once the process is shutting down.
 */
export async function startJobNow(
  job: Job,
  app: AppContext,
): Promise<TriggerResult> {
  if (app.background.signal.aborted) return "busy";
  const started = Promise.withResolvers<"started">();
  const watched: Job = {
    ...job,
    run: (context) => {
      started.resolve("started");
      return job.run(context);
    },
  };
  // Settles first only when the job never ran: the lock was held, or recording the run failed.
  const outcome = app.background.track(runJob(watched, app, app.background.signal))
    .then((done) => done.status === "skipped" ? "busy" : "failed" as const);
  return await Promise.race([started.promise, outcome]);
}
