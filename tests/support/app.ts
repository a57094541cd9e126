// Serves the real app on a loopback port for HTTP-level tests: memory cache, a throwaway
// database (unless one is given), and log lines collected in memory.
import type { Hono } from "hono";
import { type AppOptions, createApp, type PageHandler } from "../../lib/app.ts";
import { MemoryCache } from "../../lib/cache/memory.ts";
import { loadConfig } from "../../lib/config.ts";
import type { AppContext } from "../../lib/context.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createLogger } from "../../lib/log.ts";
import { Registry } from "../../lib/metrics.ts";
import { openTestDatabase } from "./database.ts";

export interface TestAppOptions {
  pages?: PageHandler;
  /** Replaces adapters or config; whatever is given is not closed by `close()`. */
  app?: Partial<AppContext>;
  /** Extra routes, mounted before the /api 404 and the page fallback. */
  extend?: AppOptions["routes"];
}

export interface TestApp {
  /** Origin of the server, e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  app: Hono<AppEnv>;
  context: AppContext;
  metrics: Registry;
  /** Every log line written so far, as JSON text. */
  logs: string[];
  close(): Promise<void>;
}

/** Pages that answer a tiny HTML document: enough for API and middleware tests. */
export const plainPages: PageHandler = {
  handle: (req, state) =>
    Promise.resolve(
      new Response(`<!doctype html><p>${new URL(req.url).pathname} ${state.requestId}</p>`, {
        headers: { "Content-Type": "text/html; charset=utf-8" },
      }),
    ),
  serveStatic: () => Promise.resolve(null),
};

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logs: string[] = [];
  const owned: { close(): Promise<void> }[] = [];
  const given = options.app ?? {};
  let db = given.db;
  if (!db) {
    const opened = await openTestDatabase();
    owned.push({ close: () => opened.dispose() });
    db = opened;
  }
  const cache = given.cache ?? new MemoryCache();
  if (!given.cache) owned.push(cache);
  const context: AppContext = {
    config: given.config ?? loadConfig({}),
    db,
    cache,
    log: given.log ?? createLogger("debug", (line) => logs.push(line)),
  };
  const metrics = new Registry();
  const app = createApp(context, options.pages ?? plainPages, metrics, { routes: options.extend });
  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    onListen: () => {},
  }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    app,
    context,
    metrics,
    logs,
    async close() {
      await server.shutdown();
      for (const resource of owned.reverse()) await resource.close();
    },
  };
}
