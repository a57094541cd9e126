// The housekeep job: deletes operational history past its retention (lib/ops/retention.ts) in
// short batches, so the tables that grow with every tick stay small. Idempotent; a kill leaves
// whole batches deleted and the next run goes on.
import type { Job, JobCounts } from "../lib/jobs/job.ts";
import { applyRetention } from "../lib/ops/retention.ts";

export function createHousekeepJob(): Job {
  return {
    name: "housekeep",
    description: "Delete operational history older than RETENTION_DAYS (runs, alerts, sessions)",
    // What it deletes, no page shows.
    showsOnPages: false,
    async run({ app, signal, args }): Promise<JobCounts> {
      if (args.length) throw new Error(`housekeep: unknown flag ${args[0]} (it takes none)`);
      const deleted = await applyRetention(
        app.db.sql,
        new Date(),
        app.config.retentionDays,
        signal,
      );
      return Object.fromEntries(
        Object.entries(deleted).map(([table, rows]) => [`deleted.${table}`, rows]),
      );
    },
  };
}
