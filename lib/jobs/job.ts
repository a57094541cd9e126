import type { ISql, Sql } from "postgres";
import type { AppContext } from "../context.ts";
import type { Logger } from "../log.ts";

export const JOB_NAMES = [
  "crawl",
  "embed",
  "predict",
  "evaluate",
  "alerts",
  "housekeep",
] as const;
export type JobName = typeof JOB_NAMES[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

/** What a running job receives: the adapters, a logger tagged with job and run id, and a stop signal. */
export interface JobContext {
  app: AppContext;
  log: Logger;
  runId: number;
  /**
   * Aborted on shutdown and when the run loses its lock: a job checks it between batches and
   * stops at the next safe point. `signal.reason` says why.
   */
  signal: AbortSignal;
  /**
   * Call first inside each write transaction: throws `LostFence` (rolling the transaction back)
   * once another process has taken the job over from this run, so a run whose lock expired
   * while its process stalled commits nothing more. See lib/jobs/fence.ts.
   */
  fence(tx: ISql): Promise<void>;
  /**
   * `app.db.sql` whose every `begin` runs `fence` first: hand it to domain code that opens its own
   * write transactions. Statements outside a transaction are not fenced (keep them idempotent).
   */
  fencedSql: Sql;
  /** Command-line flags after the job name (`deno task job crawl --reparse`); empty from cron. */
  args: string[];
  /**
   * Records a failure the job survived (one source down while others loaded): the run ends as
   * `partial` with these messages in `job_run.error`.
   */
  reportProblem(message: string): void;
}

/** Counts a run reports (rows fetched, inserted, rejected…), stored in `job_run.counts`. */
export type JobCounts = Record<string, number>;

export interface Job {
  name: JobName;
  description: string;
  /**
   * False for a job whose writes no page shows (the alerts outbox): its runs never invalidate the
   * cached pages. Default true.
   */
  showsOnPages?: boolean;
  /** Flags the job understands, one "--flag  what it does" per line, for `deno task job --help`. */
  flags?: string[];
  run(context: JobContext): Promise<JobCounts>;
}
