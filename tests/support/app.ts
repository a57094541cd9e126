// Serves the real app on a loopback port for HTTP-level tests, on a test context (context.ts):
// throwaway adapters unless given, and log lines collected in memory.
import type { Hono } from "hono";
import { type AppOptions, createApp, type PageHandler } from "../../lib/app.ts";
import type { AppContext } from "../../lib/context.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { Registry } from "../../lib/metrics.ts";
import { openTestContext } from "./context.ts";

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

/**
 * Pages that answer a tiny HTML document: enough for API and middleware tests. It shows the
 * request id, so it is marked per request (no-store) and the page cache leaves it alone.
 */
export const plainPages: PageHandler = {
  handle: (req, state) =>
    Promise.resolve(
      new Response(`<!doctype html><p>${new URL(req.url).pathname} ${state.requestId}</p>`, {
        headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
      }),
    ),
  serveStatic: () => Promise.resolve(null),
  buildId: "plain",
};

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const context = await openTestContext(options.app);
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
    logs: context.logs,
    async close() {
      // As main.ts does: open event streams end first, or the shutdown would wait for them.
      context.newPredictions.close();
      await server.shutdown();
      await context.close();
    },
  };
}
