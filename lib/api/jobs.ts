// /api/jobs: recent job runs with their counts and errors, and `POST /api/jobs/:name/run` to start
// one now (admin only: lib/api/router.ts).
import { Hono } from "hono";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import { JOBS } from "../../jobs/registry.ts";
import { Conflict, HttpError, NotFound } from "../http/errors.ts";
import { QueryParams } from "../http/query.ts";
import { isJobName, JOB_NAMES } from "../jobs/job.ts";
import { recentRuns } from "../jobs/store.ts";
import { startJobNow } from "../jobs/trigger.ts";

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
  router.post("/:name/run", async (c) => {
    const name = c.req.param("name");
    if (!isJobName(name)) {
      throw new NotFound(`No job named ${name}: the jobs are ${JOB_NAMES.join(", ")}`);
    }
    const result = await startJobNow(JOBS[name], app);
    if (result === "busy") {
      throw new Conflict(`${name} is already running (or the server is stopping)`);
    }
    if (result === "failed") {
      throw new HttpError(
        503,
        "job_not_started",
        `${name} could not start: the server log says why`,
      );
    }
    return c.json({ job: name, status: "started" }, 202);
  });
  return router;
}
