import type { AppContext } from "../context.ts";
import type { Logger } from "../log.ts";

export const JOB_NAMES = ["crawl", "embed", "predict", "evaluate", "alerts"] as const;
export type JobName = typeof JOB_NAMES[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

/** What a running job receives: the adapters, a logger tagged with job and run id, and a stop signal. */
export interface JobContext {
  app: AppContext;
  log: Logger;
  runId: number;
  /** Aborted on shutdown: a job checks it between batches and stops at the next safe point. */
  signal: AbortSignal;
}

/** Counts a run reports (rows fetched, inserted, rejected…), stored in `job_run.counts`. */
export type JobCounts = Record<string, number>;

export interface Job {
  name: JobName;
  description: string;
  run(context: JobContext): Promise<JobCounts>;
}
