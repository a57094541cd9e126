// The only module that writes SQL for `job_run`.
import type { ISql, Sql } from "postgres";
import type { JobCounts } from "./job.ts";

export type JobRunStatus =
  | "running"
  | "succeeded"
  | "partial"
  | "failed"
  | "skipped"
  | "interrupted";

export interface JobRunRow {
  id: number;
  job: string;
  status: JobRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  counts: JobCounts;
  error: string | null;
  host: string | null;
}

/**
 * Marks runs left `running` as interrupted; call while holding the job's lock. Their process died
 * or lost the lock (it expired while the process stalled): either way the run is no longer
 * current, and its fence (`lockCurrentRun`) now refuses every later write transaction of it.
 */
export async function interruptAbandonedRuns(sql: Sql, job: string): Promise<number> {
  const rows = await sql`
    update job_run set status = 'interrupted', finished_at = now(),
      error = 'abandoned: its process stopped or lost the job lock before the run finished'
    where job = ${job} and status = 'running'
    returning id`;
  return rows.length;
}

/** Whether a run of `job` started at or after `since` (in this or another process). */
export async function ranSince(sql: Sql, job: string, since: Date): Promise<boolean> {
  const [row] = await sql<{ ran: boolean }[]>`
    select exists (select 1 from job_run where job = ${job} and started_at >= ${since}) as ran`;
  return row.ran;
}

/**
 * The fence, inside a write transaction `tx`: true while run `id` is still `running`. The row's
 * share lock lasts until `tx` ends, so a takeover (interruptAbandonedRuns) waits for `tx` to
 * commit or roll back: a write of the old run either lands before the takeover or not at all.
 */
export async function lockCurrentRun(tx: ISql, id: number): Promise<boolean> {
  const rows = await tx`select 1 from job_run where id = ${id} and status = 'running' for share`;
  return rows.length === 1;
}

export async function startRun(sql: Sql, job: string, host: string): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into job_run (job, status, host) values (${job}, 'running', ${host}) returning id`;
  return Number(row.id);
}

/**
 * Records how run `id` ended. Only a run still `running` is finished: false when another process
 * had already marked it interrupted (it took the lock over), whose record then stands.
 */
export async function finishRun(
  sql: Sql,
  id: number,
  status: Exclude<JobRunStatus, "running">,
  counts: JobCounts,
  error: string | null,
): Promise<boolean> {
  const rows = await sql`
    update job_run set status = ${status}, finished_at = now(), counts = ${sql.json(counts)},
      error = ${error}
    where id = ${id} and status = 'running'
    returning id`;
  return rows.length === 1;
}

export async function recentRuns(sql: Sql, job?: string, limit = 50): Promise<JobRunRow[]> {
  const rows = await sql<
    {
      id: number;
      job: string;
      status: JobRunStatus;
      started_at: Date;
      finished_at: Date | null;
      counts: JobCounts | null;
      error: string | null;
      host: string | null;
    }[]
  >`
    select id, job, status, started_at, finished_at, counts, error, host from job_run
    where ${job === undefined ? sql`true` : sql`job = ${job}`}
    order by started_at desc, id desc limit ${limit}`;
  return rows.map((row) => ({
    id: Number(row.id),
    job: row.job,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: row.counts ?? {},
    error: row.error,
    host: row.host,
  }));
}
