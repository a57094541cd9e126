import type { Job, JobName } from "../lib/jobs/job.ts";
import { createAlertsJob } from "./alerts.ts";
import { createCrawlJob } from "./crawl.ts";
import { createEmbedJob } from "./embed.ts";
import { createEvaluateJob } from "./evaluate.ts";
import { createHousekeepJob } from "./housekeep.ts";
import { createPredictJob } from "./predict.ts";

export const JOBS: Record<JobName, Job> = {
  crawl: createCrawlJob(),
  embed: createEmbedJob(),
  predict: createPredictJob(),
  evaluate: createEvaluateJob(),
  alerts: createAlertsJob(),
  housekeep: createHousekeepJob(),
};
