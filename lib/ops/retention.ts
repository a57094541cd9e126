// How long operational history is kept: job runs, alert deliveries, ended sessions and used link
// codes grow with every tick and request, and nothing reads them after a while (metrics scan
// job_run on every scrape). Predictions, outcomes, prices and news are the product: never here.
import type { ISql } from "postgres";

/** One table's rule: rows older than the cut-off that `expired` selects are deleted. */
interface RetentionRule {
  table: string;
  /** The table's primary key column. */
  key: string;
  /** Keeps how long past the row's end: the configured retention, or a fixed grace period. */
  keep: "retention" | { days: number };
  /** The rows past `cutoff` (a timestamptz parameter), as a where clause. */
  expired(sql: ISql, cutoff: Date): ReturnType<ISql>;
}

export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    table: "job_run",
    key: "id",
    keep: "retention",
    expired: (sql, cutoff) => sql`finished_at < ${cutoff}`,
  },
  {
    table: "alert_delivery_attempt",
    key: "id",
    keep: "retention",
    expired: (sql, cutoff) => sql`started_at < ${cutoff}`,
  },
  {
    // Finished alerts only: their idempotency keys are about events that can't happen again.
    table: "alert_outbox",
    key: "id",
    keep: "retention",
    expired: (sql, cutoff) =>
      sql`status in ('sent', 'cancelled', 'failed', 'unknown') and coalesce(finished_at, created_at) < ${cutoff}`,
  },
  {
    // A refresh token past its expiry is refused anyway; a week's grace keeps recent history
    // (reuse detection, the admin's view of who signed in) readable.
    table: "session",
    key: "id",
    keep: { days: 7 },
    expired: (sql, cutoff) => sql`expires_at < ${cutoff}`,
  },
  {
    table: "telegram_link_code",
    key: "code_hash",
    keep: { days: 1 },
    expired: (sql, cutoff) => sql`expires_at < ${cutoff}`,
  },
];

/** Rows deleted per statement: short statements keep locks short and a stop prompt. */
const BATCH = 5_000;

const DAY_MS = 86_400_000;

/** The cut-off of `rule` at `now`. */
export function cutoffOf(rule: RetentionRule, now: Date, retentionDays: number): Date {
  const days = rule.keep === "retention" ? retentionDays : rule.keep.days;
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Deletes what every rule lets go, in batches, stopping between batches when `signal` aborts.
 * Returns the rows deleted per table. Idempotent: a second run finds nothing.
 */
export async function applyRetention(
  sql: ISql,
  now: Date,
  retentionDays: number,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const rule of RETENTION_RULES) {
    const cutoff = cutoffOf(rule, now, retentionDays);
    let total = 0;
    while (!signal?.aborted) {
      const rows = await sql`
        delete from ${sql(rule.table)} where ${sql(rule.key)} in (
          select ${sql(rule.key)} from ${sql(rule.table)} where ${rule.expired(sql, cutoff)}
          limit ${BATCH})
        returning 1`;
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    deleted[rule.table] = total;
  }
  return deleted;
}
