// `deno task job NAME`: runs one job by hand through the same lock and job_run record as cron.
import { JOBS } from "../jobs/registry.ts";
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { isJobName, JOB_NAMES } from "../lib/jobs/job.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { exitWithError } from "./exit.ts";

const usage = `usage: deno task job NAME [FLAGS]\n\n${
  JOB_NAMES.map((name) =>
    [
      `  ${name.padEnd(9)} ${JOBS[name].description}`,
      ...(JOBS[name].flags ?? []).map((flag) => `            ${flag}`),
    ].join("\n")
  ).join("\n")
}`;

async function main(args: string[]): Promise<number> {
  const [name, ...flags] = args;
  if (!name || name === "--help" || name === "-h") {
    console.log(usage);
    return name ? 0 : 2;
  }
  if (!isJobName(name)) {
    console.error(`craveny: unknown job ${JSON.stringify(name)}\n${usage}`);
    return 2;
  }
  const config = loadConfig(await readEnvironment());
  const app = await openAppContext(config, createLogger(config.logLevel));
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  try {
    const outcome = await runJob(JOBS[name], app, controller.signal, flags);
    console.log(JSON.stringify({ job: name, ...outcome }));
    return outcome.status === "failed" ? 1 : 0;
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    await app.close();
  }
}

if (import.meta.main) main(Deno.args).then(Deno.exit, exitWithError);
