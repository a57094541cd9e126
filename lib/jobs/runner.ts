import { enqueueJobFailureAlerts } from "../alerts/enqueue.ts";
import { bumpDataVersion } from "../cache/data_version.ts";
import type { AppContext } from "../context.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { type Logger, withLogContext } from "../log.ts";
import { createFence, fencedSql, LostFence } from "./fence.ts";
import { keepLockAlive } from "./heartbeat.ts";
import type { Job, JobCounts } from "./job.ts";
import { acquireJobLock } from "./lock.ts";
import { finishRun, interruptAbandonedRuns, ranSince, startRun } from "./store.ts";

export { jobLockName } from "./lock.ts";

export type JobOutcome =
  | { status: "succeeded"; runId: number; counts: JobCounts; ms: number }
  | { status: "partial"; runId: number; counts: JobCounts; problems: string[]; ms: number }
  | { status: "failed"; runId: number | null; error: string; ms: number }
  | { status: "interrupted"; runId: number; counts: JobCounts; reason: string; ms: number }
  | { status: "skipped"; reason: string };

const HOST = `${Deno.hostname()}:${Deno.pid}`;

/** Problems kept in `job_run.error`: enough to diagnose, bounded so one bad day can't bloat it. */
const MAX_PROBLEMS = 20;

function summarise(problems: string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).join("\n");
  const more = problems.length - MAX_PROBLEMS;
  return more > 0 ? `${shown}\n… and ${more} more` : shown;
}

export interface RunOptions {
  /**
   * Skip the run when a run of the job started at or after this instant: a scheduled tick that
   * another process has already run (jobs/schedule.ts). Checked under the job's lock.
   */
  notRunSince?: Date;
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/**
 * Runs `job` once unless another run (in this or any process) holds its lock. The lock is kept
 * alive while the run lasts; if it can't be, the run is stopped as if shut down. Every run that
 * starts is recorded in `job_run`; a failure is recorded, logged and returned, never thrown.
 */
export async function runJob(
  job: Job,
  app: AppContext,
  signal: AbortSignal = new AbortController().signal,
  args: string[] = [],
  options: RunOptions = {},
): Promise<JobOutcome> {
  const log = app.log.child({ job: job.name });
  const ttlMs = app.config.jobLockTtlMs;
  let lock;
  try {
    lock = await acquireJobLock(app, job.name, ttlMs);
  } catch (error) {
    log.warn("job skipped: its lock is unavailable", { error });
    return { status: "skipped", reason: `job lock unavailable: ${reasonText(error)}` };
  }
  if (!lock) {
    log.info("job skipped: another run holds the lock");
    return { status: "skipped", reason: "another run holds the lock" };
  }
  // Stops the run when the lock is lost or its fence refuses a write; shutdown stops it too.
  const lost = new AbortController();
  const stop = (reason: Error) => {
    if (lost.signal.aborted) return;
    log.warn("job stopping: it lost its lock", { reason: reason.message });
    lost.abort(reason);
  };
  const heartbeat = keepLockAlive(lock, ttlMs, (reason) => stop(new Error(reason)));
  try {
    const runSignal = AbortSignal.any([signal, lost.signal]);
    const outcome = await execute(job, app, log, {
      signal: runSignal,
      lost: lost.signal,
      stop,
      args,
      options,
    });
    // Pages are cached under the data version: whatever the run wrote shows on the next view.
    if (job.showsOnPages !== false && mayHaveWritten(outcome)) await bumpDataVersion(app.cache);
    if (outcome.status === "failed") await alertAdmins(app, log, job.name, outcome);
    return outcome;
  } finally {
    await heartbeat.stop();
    await lock.release().catch((error) => log.warn("job lock release failed", { error }));
  }
}

/**
 * Tells admins' linked Telegram chats that a job failed (through the outbox, so the alerts job
 * delivers it). Never throws: when the database itself failed, the log is the only record.
 */
async function alertAdmins(
  app: AppContext,
  log: Logger,
  job: string,
  outcome: Extract<JobOutcome, { status: "failed" }>,
): Promise<void> {
  await enqueueJobFailureAlerts(app.db.sql, {
    job,
    runId: outcome.runId,
    error: outcome.error,
    at: new Date(),
  }).catch((error) => log.warn("could not queue the job failure alert", { error }));
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

interface Execution {
  /** Aborted by shutdown or by `stop`. */
  signal: AbortSignal;
  /** Aborted by `stop` only. */
  lost: AbortSignal;
  /** Stops the run: its lock or fence is lost. */
  stop(reason: Error): void;
  args: string[];
  options: RunOptions;
}

/** One run under the lock: recorded in job_run, never throwing. */
async function execute(
  job: Job,
  app: AppContext,
  log: Logger,
  { signal, lost, stop, args, options }: Execution,
): Promise<JobOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const sql = app.db.sql;
  let runId: number | undefined;
  const problems: string[] = [];
  /**
   * Records the run as interrupted, unless another process already did when taking it over. A
   * lost lock is recorded with the run; a stop asked for (shutdown, Ctrl-C) speaks for itself.
   */
  const interrupted = async (id: number, counts: JobCounts, runLog: Logger) => {
    const reason = reasonText(signal.reason);
    const lines = lost.aborted ? [`interrupted: ${reasonText(lost.reason)}`] : [];
    if (problems.length) lines.push(summarise(problems));
    const error = lines.length ? lines.join("\n") : null;
    if (!(await finishRun(sql, id, "interrupted", counts, error))) {
      runLog.warn("run was already marked interrupted by the process that took the job over");
    }
    runLog.info("job interrupted", { reason, counts, ms: elapsed() });
    return { status: "interrupted", runId: id, counts, reason, ms: elapsed() } as const;
  };
  try {
    if (options.notRunSince && await ranSince(sql, job.name, options.notRunSince)) {
      log.info("job skipped: this tick already ran", { since: options.notRunSince });
      return { status: "skipped", reason: "this tick already ran" };
    }
    const abandoned = await interruptAbandonedRuns(sql, job.name);
    if (abandoned) log.warn("marked abandoned runs as interrupted", { abandoned });
    runId = await startRun(sql, job.name, HOST);
    const runLog = log.child({ runId });
    runLog.info("job started");
    const reportProblem = (message: string) => {
      problems.push(message);
      runLog.warn("job problem", { problem: message });
    };
    const fence = createFence(job.name, runId, stop);
    const context = {
      app,
      log: runLog,
      runId,
      signal,
      args,
      reportProblem,
      fence,
      fencedSql: fencedSql(sql, fence),
    };
    // Lines logged by domain code during the run (LLM clients, the embedder) carry its name and id.
    const counts = await withLogContext({ job: job.name, runId }, () => job.run(context));
    const error = problems.length ? summarise(problems) : null;
    if (signal.aborted) return await interrupted(runId, counts, runLog);
    const status = problems.length ? "partial" : "succeeded";
    if (!(await finishRun(sql, runId, status, counts, error))) {
      // Taken over between its last write and now: the takeover's record stands.
      stop(new LostFence(job.name, runId));
      return await interrupted(runId, counts, runLog);
    }
    if (status === "partial") {
      runLog.warn("job partially succeeded", { counts, problems: problems.length, ms: elapsed() });
      return { status, runId, counts, problems, ms: elapsed() };
    }
    runLog.info("job succeeded", { counts, ms: elapsed() });
    return { status, runId, counts, ms: elapsed() };
  } catch (error) {
    if (runId === undefined && isUniqueViolation(error, "job_run_one_running_key")) {
      // The backstop behind the locks: another run of the job is recorded as running.
      log.warn("job skipped: another run is recorded as running");
      return { status: "skipped", reason: "another run is recorded as running" };
    }
    // Stopped mid-run (shutdown, a lost lock or fence): whatever it threw on the way out.
    if (runId !== undefined && signal.aborted) {
      try {
        return await interrupted(runId, {}, log.child({ runId }));
      } catch (recordError) {
        log.error("could not record the interruption", { runId, error: recordError });
      }
    }
    const message = reasonText(error);
    log.error("job failed", { runId, error: message, ms: elapsed() });
    // Without a run id the database itself failed: the log line above is the only record.
    if (runId !== undefined) {
      await finishRun(sql, runId, "failed", {}, message).catch((recordError) =>
        log.error("could not record the failure", { runId, error: recordError })
      );
    }
    return { status: "failed", runId: runId ?? null, error: message, ms: elapsed() };
  }
}
