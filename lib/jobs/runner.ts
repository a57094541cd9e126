import { bumpDataVersion } from "../cache/data_version.ts";
import type { AppContext } from "../context.ts";
import type { Logger } from "../log.ts";
import type { Job, JobCounts, JobName } from "./job.ts";
import { finishRun, interruptAbandonedRuns, startRun } from "./store.ts";

export type JobOutcome =
  | { status: "succeeded"; runId: number; counts: JobCounts; ms: number }
  | { status: "partial"; runId: number; counts: JobCounts; problems: string[]; ms: number }
  | { status: "failed"; runId: number | null; error: string; ms: number }
  | { status: "interrupted"; runId: number; counts: JobCounts; ms: number }
  | { status: "skipped"; reason: string };

const HOST = `${Deno.hostname()}:${Deno.pid}`;

/** Problems kept in `job_run.error`: enough to diagnose, bounded so one bad day can't bloat it. */
const MAX_PROBLEMS = 20;

function summarise(problems: string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).join("\n");
  const more = problems.length - MAX_PROBLEMS;
  return more > 0 ? `${shown}\n… and ${more} more` : shown;
}

/** The lock a job's runs hold; tasks that must not overlap a job's run take it too. */
export function jobLockName(name: JobName): string {
  return `job:${name}`;
}

/**
 * Runs `job` once unless another run (in this or any process sharing the cache) holds its lock.
 * Every run that starts is recorded in `job_run`; a failure is recorded, logged and returned, never thrown.
 */
export async function runJob(
  job: Job,
  app: AppContext,
  signal: AbortSignal = new AbortController().signal,
  args: string[] = [],
): Promise<JobOutcome> {
  const log = app.log.child({ job: job.name });
  const lock = await app.cache.acquireLock(jobLockName(job.name), app.config.jobLockTtlMs)
    .catch((error) => {
      log.warn("job lock unavailable", { error });
      return null;
    });
  if (!lock) {
    log.info("job skipped: another run holds the lock");
    return { status: "skipped", reason: "another run holds the lock" };
  }
  try {
    const outcome = await execute(job, app, log, signal, args);
    // Pages are cached under the data version: whatever the run wrote shows on the next view.
    if (mayHaveWritten(outcome)) await bumpDataVersion(app.cache);
    return outcome;
  } finally {
    await lock.release().catch((error) => log.warn("job lock release failed", { error }));
  }
}

/** Counts that tally what a run did not write (existing, skipped.no_prices, news.duplicates…). */
const NOTHING_WRITTEN = new Set([
  "existing",
  "abstained",
  "failed",
  "duplicates",
  "rejected",
  "skipped",
]);

/**
 * Whether a run may have changed what pages show: a failed run may have written before it
 * failed; another run did when it counted anything but nothing-written tallies. Guessing "yes"
 * costs a re-render of each page, guessing "no" would show stale pages until they expire.
 */
export function mayHaveWritten(outcome: JobOutcome): boolean {
  if (outcome.status === "skipped") return false;
  if (outcome.status === "failed") return outcome.runId !== null;
  return Object.entries(outcome.counts).some(([name, count]) =>
    count > 0 && !name.split(".").some((part) => NOTHING_WRITTEN.has(part))
  );
}

/** One run under the lock: recorded in job_run, never throwing. */
async function execute(
  job: Job,
  app: AppContext,
  log: Logger,
  signal: AbortSignal,
  args: string[],
): Promise<JobOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let runId: number | undefined;
  try {
    const abandoned = await interruptAbandonedRuns(app.db.sql, job.name);
    if (abandoned) log.warn("marked abandoned runs as interrupted", { abandoned });
    runId = await startRun(app.db.sql, job.name, HOST);
    const runLog = log.child({ runId });
    runLog.info("job started");
    const problems: string[] = [];
    const reportProblem = (message: string) => {
      problems.push(message);
      runLog.warn("job problem", { problem: message });
    };
    const counts = await job.run({ app, log: runLog, runId, signal, args, reportProblem });
    const error = problems.length ? summarise(problems) : null;
    if (signal.aborted) {
      await finishRun(app.db.sql, runId, "interrupted", counts, error);
      runLog.info("job interrupted", { counts, ms: elapsed() });
      return { status: "interrupted", runId, counts, ms: elapsed() };
    }
    if (problems.length) {
      await finishRun(app.db.sql, runId, "partial", counts, error);
      runLog.warn("job partially succeeded", { counts, problems: problems.length, ms: elapsed() });
      return { status: "partial", runId, counts, problems, ms: elapsed() };
    }
    await finishRun(app.db.sql, runId, "succeeded", counts, null);
    runLog.info("job succeeded", { counts, ms: elapsed() });
    return { status: "succeeded", runId, counts, ms: elapsed() };
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
  }
}
