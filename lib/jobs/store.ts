// The only module that writes SQL for `job_run`.
import type { Sql } from "postgres";
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

/** Marks runs left `running` by a process that died as interrupted; call while holding the job's lock. */
export async function interruptAbandonedRuns(sql: Sql, job: string): Promise<number> {
  const rows = await sql`
    update job_run set status = 'interrupted', finished_at = now(),
      error = 'process stopped before the run finished'
    where job = ${job} and status = 'running'
    returning id`;
  return rows.length;
}

export async function startRun(sql: Sql, job: string, host: string): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into job_run (job, status, host) values (${job}, 'running', ${host}) returning id`;
  return Number(row.id);
}

export async function finishRun(
  sql: Sql,
  id: number,
  status: Exclude<JobRunStatus, "running">,
  counts: JobCounts,
  error: string | null,
): Promise<void> {
  await sql`
    update job_run set status = ${status}, finished_at = now(), counts = ${sql.json(counts)},
      error = ${error}
    where id = ${id}`;
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
