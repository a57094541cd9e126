// /api/jobs: recent job runs with their counts and errors (admin only: lib/api/router.ts).
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import { QueryParams } from "../http/query.ts";
import { JOB_NAMES } from "../jobs/job.ts";
import { recentRuns } from "../jobs/store.ts";

export function jobsRouter(app: AppContext): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  router.get("/", async (c) => {
    const query = QueryParams.of(c.req.url);
    const job = query.oneOf("job", [...JOB_NAMES, "all"] as const, "all");
    const limit = query.integer("limit", { min: 1, max: 200, fallback: 50 });
    const runs = await recentRuns(app.db.sql, job === "all" ? undefined : job, limit);
    return c.json({
      runs: runs.map((run) => ({
        id: run.id,
        job: run.job,
        status: run.status,
        startedAt: run.startedAt.toISOString(),
        finishedAt: run.finishedAt?.toISOString() ?? null,
        counts: run.counts,
        error: run.error,
      })),
    });
  });
  return router;
}
