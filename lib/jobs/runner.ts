import type { AppContext } from "../context.ts";
import type { Job, JobCounts } from "./job.ts";
import { finishRun, interruptAbandonedRuns, startRun } from "./store.ts";

export type JobOutcome =
  | { status: "succeeded"; runId: number; counts: JobCounts; ms: number }
  | { status: "failed"; runId: number | null; error: string; ms: number }
  | { status: "interrupted"; runId: number; counts: JobCounts; ms: number }
  | { status: "skipped"; reason: string };

const HOST = `${Deno.hostname()}:${Deno.pid}`;

/**
 * Runs `job` once unless another run (in this or any process sharing the cache) holds its lock.
 * Every run that starts is recorded in `job_run`; a failure is recorded, logged and returned, never thrown.
 */
export async function runJob(
  job: Job,
  app: AppContext,
  signal: AbortSignal = new AbortController().signal,
): Promise<JobOutcome> {
  const log = app.log.child({ job: job.name });
  const lock = await app.cache.acquireLock(`job:${job.name}`, app.config.jobLockTtlMs)
    .catch((error) => {
      log.warn("job lock unavailable", { error });
      return null;
    });
  if (!lock) {
    log.info("job skipped: another run holds the lock");
    return { status: "skipped", reason: "another run holds the lock" };
  }
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let runId: number | undefined;
  try {
    const abandoned = await interruptAbandonedRuns(app.db.sql, job.name);
    if (abandoned) log.warn("marked abandoned runs as interrupted", { abandoned });
    runId = await startRun(app.db.sql, job.name, HOST);
    const runLog = log.child({ runId });
    runLog.info("job started");
    const counts = await job.run({ app, log: runLog, runId, signal });
    const status = signal.aborted ? "interrupted" : "succeeded";
    await finishRun(app.db.sql, runId, status, counts, null);
    runLog.info(`job ${status}`, { counts, ms: elapsed() });
    return { status, runId, counts, ms: elapsed() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error("job failed", { runId, error: message, ms: elapsed() });
    // Without a run id the database itself failed: the log line above is the only record.
    if (runId !== undefined) {
      await finishRun(app.db.sql, runId, "failed", {}, message).catch((recordError) =>
        log.error("could not record the failure", { runId, error: recordError })
      );
    }
    return { status: "failed", runId: runId ?? null, error: message, ms: elapsed() };
  } finally {
    await lock.release().catch((error) => log.warn("job lock release failed", { error }));
  }
}
