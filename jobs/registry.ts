import type { Job, JobName } from "../lib/jobs/job.ts";
import { createCrawlJob } from "./crawl.ts";
import { createEmbedJob } from "./embed.ts";
import { createEvaluateJob } from "./evaluate.ts";
import { createPredictJob } from "./predict.ts";

/**
 * A job whose work arrives with a later issue: it runs through the real mechanism (lock,
 * job_run record, schedule) and reports that it had nothing to do.
 */
function awaitingImplementation(name: JobName, description: string, issue: number): Job {
  return {
    name,
    description,
    run({ log }) {
      log.info(`nothing to do yet: ${name} arrives with issue #${issue}`);
      return Promise.resolve({});
    },
  };
}

export const JOBS: Record<JobName, Job> = {
  crawl: createCrawlJob(),
  embed: createEmbedJob(),
  predict: createPredictJob(),
  evaluate: createEvaluateJob(),
  alerts: awaitingImplementation("alerts", "Dispatch the alert outbox to Telegram", 8),
};
