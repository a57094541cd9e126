// The read-only SQL behind the operational metrics (lib/ops/ops_metrics.ts): aggregates over
// job_run, alert_outbox and prediction(_attempt); the embedding backlog is lib/embed/store.ts's.
// Each domain's store still owns its writes; these only count.
import type { ISql } from "postgres";

/** Finished runs of one job with one status, by duration bucket. */
export interface JobDurations {
  job: string;
  status: string;
  /** `counts[i]` runs took at most `bounds[i]` seconds (and more than the bound before); last: more. */
  counts: number[];
  /** Total seconds of those runs. */
  sum: number;
}

/**
 * Durations of every finished run in job_run, grouped by job and status into the buckets with
 * upper `bounds` (seconds, ascending): the data of a Prometheus histogram.
 */
export async function jobDurations(sql: ISql, bounds: readonly number[]): Promise<JobDurations[]> {
  // A run's bucket is the number of bounds below its duration (Prometheus buckets include their
  // upper bound). width_bucket counts the thresholds at or below a value, so it is asked about
  // the negated duration against the negated bounds in ascending order: that counts the bounds at
  // or above the duration, and the rest are below.
  const negated = bounds.map((bound) => -bound).reverse();
  const rows = await sql<
    { job: string; status: string; bucket: number; runs: number; sum: number }[]
  >`
    select job, status, ${bounds.length}::int - width_bucket(-seconds, ${negated}::float8[]) as bucket,
      count(*)::int as runs, sum(seconds)::float8 as sum
    from (
      select job, status, extract(epoch from finished_at - started_at)::float8 as seconds
      from job_run where finished_at is not null
    ) as finished
    group by job, status, bucket`;
  const byKey = new Map<string, JobDurations>();
  for (const row of rows) {
    const key = JSON.stringify([row.job, row.status]);
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        job: row.job,
        status: row.status,
        counts: Array(bounds.length + 1).fill(0),
        sum: 0,
      };
      byKey.set(key, entry);
    }
    entry.counts[row.bucket] += row.runs;
    entry.sum += row.sum;
  }
  return [...byKey.values()];
}

/**
 * When each job last finished its work, in seconds since the epoch: a run that succeeded, or
 * that loaded what it could while some sources failed (`partial`).
 */
export async function lastJobSuccess(sql: ISql): Promise<{ job: string; at: number }[]> {
  return await sql<{ job: string; at: number }[]>`
    select job, extract(epoch from max(finished_at))::float8 as at
    from job_run where status in ('succeeded', 'partial')
    group by job order by job`;
}

/** Alert outbox rows per status. */
export async function outboxDepth(sql: ISql): Promise<{ status: string; messages: number }[]> {
  return await sql<{ status: string; messages: number }[]>`
    select status, count(*)::float8 as messages from alert_outbox group by status order by status`;
}

/** What each LLM model (every model not built in) has consumed, predictions and failed calls. */
export interface LlmUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** US dollars. */
  cost: number;
  predictions: number;
  failedAttempts: number;
}

export async function llmUsage(sql: ISql): Promise<LlmUsage[]> {
  // Per model through the (model_id, created_at) indexes: built-in models' rows are never read.
  const rows = await sql<
    {
      model: string;
      input_tokens: number;
      output_tokens: number;
      cost: number;
      predictions: number;
      failed_attempts: number;
    }[]
  >`
    select m.name as model,
      p.input_tokens + a.input_tokens as input_tokens,
      p.output_tokens + a.output_tokens as output_tokens,
      p.cost + a.cost as cost,
      p.calls as predictions, a.calls as failed_attempts
    from model m
    cross join lateral (
      select coalesce(sum(input_tokens), 0)::float8 as input_tokens,
        coalesce(sum(output_tokens), 0)::float8 as output_tokens,
        coalesce(sum(cost), 0)::float8 as cost, count(*)::float8 as calls
      from prediction where model_id = m.id
    ) as p
    cross join lateral (
      select coalesce(sum(input_tokens), 0)::float8 as input_tokens,
        coalesce(sum(output_tokens), 0)::float8 as output_tokens,
        coalesce(sum(cost), 0)::float8 as cost, count(*)::float8 as calls
      from prediction_attempt where model_id = m.id
    ) as a
    where m.provider <> 'builtin'
    order by m.name`;
  return rows.map((row) => ({
    model: row.model,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cost: row.cost,
    predictions: row.predictions,
    failedAttempts: row.failed_attempts,
  }));
}
