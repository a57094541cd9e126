// Production entry: config → adapters → Hono app → Deno.serve + Deno.cron.
import manifest from "./fresh.gen.ts";
import { registerSchedules } from "./jobs/schedule.ts";
import { createApp } from "./lib/app.ts";
import { bumpDataVersion } from "./lib/cache/data_version.ts";
import { openAppContext } from "./lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "./lib/config.ts";
import { createFreshHandler } from "./lib/fresh/server.ts";
import { createLogger, type Logger } from "./lib/log.ts";
import { Registry } from "./lib/metrics.ts";
import { startTelegram } from "./lib/telegram/runtime.ts";
import { wantsHelp } from "./tasks/cli.ts";
import { exitWithError } from "./tasks/exit.ts";

export interface StartOptions {
  /** Rebuild islands on change and skip immutable caching (dev.ts). */
  dev?: boolean;
}

export async function start(options: StartOptions = {}): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfig(await readEnvironment());
  const log = createLogger(config.logLevel);
  const app = await openAppContext(config, log);
  const pages = await createFreshHandler(manifest, { dev: options.dev, log });
  // This process's code may render pages differently from what other processes cached.
  await bumpDataVersion(app.cache);
  // Connects in the background: start-up never waits on Telegram (lib/telegram/runtime.ts).
  const telegram = startTelegram(app);
  const hono = createApp({ ...app, telegram }, pages, new Registry());

  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      port: config.port,
      hostname: config.hostname,
      onListen: ({ hostname, port }) =>
        log.info("craveny listening", {
          url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`,
          database: app.db.kind,
          cache: app.cache.kind,
          vectors: app.vectors.kind,
          embedder: app.embedder.id,
          startupMs: Math.round(performance.now() - startedAt),
        }),
    }, hono.fetch);
  } catch (error) {
    await telegram.stop();
    await pages.close();
    await app.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new Error(`port ${config.port} is already in use: stop the other server or set PORT`);
    }
    throw error;
  }

  if (config.jobsEnabled) registerSchedules(app);

  // In order, all within SHUTDOWN_TIMEOUT_MS: what still runs finishes or reaches a safe point
  // before the stores it writes to close.
  const shutdownSteps: ShutdownStep[] = [
    // Running jobs stop at their next safe point (they check the signal between batches) while
    // the requests below finish; no schedule fires again.
    ["stop the jobs", () => app.background.stop(new Error("the process is shutting down"))],
    // Event streams never finish on their own: end them, or the server would wait for them.
    ["end event streams", () => app.newPredictions.close()],
    ["refuse new connections, finish in-flight requests", () => server.shutdown()],
    // Polling ends, the updates handled so far confirmed to Telegram, before the database closes.
    ["stop the Telegram bot", () => telegram.stop()],
    // Each records its run as interrupted and releases its lock.
    ["wait for running jobs", () => app.background.idle()],
    ["close the page runtime", () => pages.close()],
    ["close the database, cache and vector store", () => app.close()],
  ];
  let shuttingDown = false;
  const onSignal = (signal: Deno.Signal) => {
    if (shuttingDown) {
      log.error("second signal during shutdown: exiting now", { signal });
      Deno.exit(1);
    }
    shuttingDown = true;
    log.info("shutting down", { signal, deadlineMs: config.shutdownTimeoutMs });
    shutdown(shutdownSteps, config.shutdownTimeoutMs, log).then((clean) =>
      Deno.exit(clean ? 0 : 1)
    );
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => onSignal(signal));
  }
}

/** A named step of the shutdown sequence. */
type ShutdownStep = [name: string, run: () => unknown];

/**
 * Runs `steps` one after the other until they are done (true) or `deadlineMs` has passed (false,
 * logged with the step that was still running). A step that fails is logged and the next one
 * runs: what is left must still be closed.
 */
async function shutdown(steps: ShutdownStep[], deadlineMs: number, log: Logger): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  for (const [name, run] of steps) {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), Math.max(0, deadline - Date.now()));
    });
    const done = Promise.resolve().then(run).then(
      () => "done" as const,
      (error) => {
        log.error("shutdown step failed", { step: name, error });
        return "failed" as const;
      },
    );
    const result = await Promise.race([done, expired]);
    clearTimeout(timer);
    if (result === "expired") {
      log.error("shutdown deadline passed: exiting now", { step: name, deadlineMs });
      return false;
    }
    if (result === "done") {
      log.info("shutdown step done", { step: name, ms: Math.round(performance.now() - started) });
    }
  }
  return true;
}

const USAGE = `usage: deno task start

Runs Craveny: the pages, the API and (JOBS_ENABLED) the scheduled jobs, on PORT (default 8000).
With nothing configured everything is embedded under DATA_DIR; DATABASE_URL, REDIS_URL,
MILVUS_ADDRESS, OPENAI_API_KEY, TELEGRAM_BOT_TOKEN… switch to the production adapters (.env.example
lists every variable). SIGTERM or Ctrl-C shuts down gracefully within SHUTDOWN_TIMEOUT_MS.`;

if (import.meta.main) {
  if (wantsHelp(Deno.args)) console.log(USAGE);
  else start().catch(exitWithError);
}
