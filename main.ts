// Production entry: config → adapters → Hono app → Deno.serve + Deno.cron.
import manifest from "./fresh.gen.ts";
import { registerSchedules } from "./jobs/schedule.ts";
import { createApp } from "./lib/app.ts";
import { bumpDataVersion } from "./lib/cache/data_version.ts";
import { openAppContext } from "./lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "./lib/config.ts";
import { createFreshHandler } from "./lib/fresh/server.ts";
import { createLogger } from "./lib/log.ts";
import { Registry } from "./lib/metrics.ts";
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
  const hono = createApp(app, pages, new Registry());
  const stopping = new AbortController();

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
    await pages.close();
    await app.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new Error(`port ${config.port} is already in use: stop the other server or set PORT`);
    }
    throw error;
  }

  const schedules = config.jobsEnabled ? registerSchedules(app, stopping.signal) : null;

  const shutdown = async () => {
    if (stopping.signal.aborted) return;
    log.info("shutting down");
    stopping.abort();
    // Event streams never finish on their own: end them, or shutdown() would wait for them.
    app.newPredictions.close();
    await server.shutdown();
    // Running jobs stop at their next safe point (they check the signal between batches).
    await schedules?.idle();
    await pages.close();
    await app.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
}

if (import.meta.main) start().catch(exitWithError);
