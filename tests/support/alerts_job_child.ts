// Runs the alerts job once in its own process, through the real runner (lock, job_run, fence), as
// `deno task job alerts` does, for the tests that kill it (jobs/alerts_test.ts). Configured by the
// environment like the app. SIGTERM and SIGINT abort the run as main.ts does on shutdown. Prints
// the run's outcome as one JSON line on stdout and exits 0, or 1 when the run failed.
import { JOBS } from "../../jobs/registry.ts";
import { openAppContext } from "../../lib/bootstrap.ts";
import { loadConfig } from "../../lib/config.ts";
import { runJob } from "../../lib/jobs/runner.ts";
import { createLogger } from "../../lib/log.ts";

const config = loadConfig(Deno.env.toObject());
const app = await openAppContext(
  config,
  createLogger(config.logLevel, (line) => console.error(line)),
);
const controller = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.addSignalListener(signal, () => controller.abort(new Error(`received ${signal}`)));
}
const outcome = await runJob(JOBS.alerts, app, controller.signal);
console.log(JSON.stringify(outcome));
await app.close();
Deno.exit(outcome.status === "failed" ? 1 : 0);
