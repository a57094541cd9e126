// `deno task job NAME`: runs one job by hand through the same lock and job_run record as cron,
// with a progress line on stderr while it runs and a clean stop on Ctrl-C.
import { JOBS } from "../jobs/registry.ts";
import type { AppContext } from "../lib/context.ts";
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { formatCount } from "../lib/imports/progress.ts";
import { isJobName, JOB_NAMES, type JobName } from "../lib/jobs/job.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { pendingNewsCount } from "../lib/embed/store.ts";
import { INTERRUPTED_EXIT, runTask, showProgress, stopOnInterrupt, UsageError } from "./cli.ts";

const usage = `usage: deno task job NAME [FLAGS]

Runs one job now, unless a run of it holds its lock (in this or another process). Prints the
outcome as JSON; Ctrl-C stops the job at its next safe point (exit 130).

${
  JOB_NAMES.map((name) =>
    [
      `  ${name.padEnd(9)} ${JOBS[name].description}`,
      ...(JOBS[name].flags ?? []).map((flag) => `            ${flag}`),
    ].join("\n")
  ).join("\n")
}`;

/** What the progress line says about a running job besides its age. */
function remaining(name: JobName, app: AppContext): (() => Promise<string>) | null {
  if (name !== "embed") return null;
  return async () =>
    `${formatCount(await pendingNewsCount(app.db.sql, app.embedder.id))} news items left`;
}

async function main([name, ...flags]: string[]): Promise<number> {
  if (!name) throw new UsageError("expected a job NAME");
  if (!isJobName(name)) throw new UsageError(`unknown job ${JSON.stringify(name)}`);
  const config = loadConfig(await readEnvironment());
  const app = await openAppContext(config, createLogger(config.logLevel));
  try {
    using interrupt = stopOnInterrupt();
    const started = performance.now();
    const detail = remaining(name, app);
    using _progress = showProgress(async () => {
      const seconds = Math.round((performance.now() - started) / 1000);
      return [`${name}: running ${seconds} s`, ...(detail ? [await detail()] : [])].join(", ");
    });
    const outcome = await runJob(JOBS[name], app, interrupt.signal, flags);
    console.log(JSON.stringify({ job: name, ...outcome }));
    if (outcome.status === "interrupted" && interrupt.signal.aborted) {
      console.error(`${name} interrupted: its committed work stays; run it again to go on`);
      return INTERRUPTED_EXIT;
    }
    // Stopped by something else (its lock was lost) or failed: not what was asked for.
    return outcome.status === "failed" || outcome.status === "interrupted" ? 1 : 0;
  } finally {
    await app.close();
  }
}

if (import.meta.main) runTask(usage, main);
