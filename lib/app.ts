// The Hono app of one Craveny process: cross-cutting middleware, /health, /metrics, the JSON API,
// static files and, for everything else, the page runtime.
import { Hono } from "hono";
import { apiNotFound, apiRouter } from "./api/router.ts";
import { CSRF_FIELD } from "./auth/csrf.ts";
import type { AppContext } from "./context.ts";
import { checkHealth, healthChecks, healthStatusCode } from "./health.ts";
import { accessLog } from "./http/access_log.ts";
import { authenticateApi } from "./http/authenticate.ts";
import { bodyLimit } from "./http/body_limit.ts";
import type { AppEnv } from "./http/env.ts";
import { errorHandler } from "./http/error_handler.ts";
import { NotFound } from "./http/errors.ts";
import { pageCache } from "./http/page_cache.ts";
import { requestId } from "./http/request_id.ts";
import { requestMetrics } from "./http/request_metrics.ts";
import { clientIp } from "./http/request_origin.ts";
import { securityHeaders } from "./http/security_headers.ts";
import { METRICS_CONTENT_TYPE, type Registry } from "./metrics.ts";
import { registerOpsMetrics } from "./ops/ops_metrics.ts";
import { initialState, type State } from "./state.ts";

/** API reads that are the same for every anonymous caller until the data changes. */
const PUBLIC_API_READS = [
  "/api/stocks/*",
  "/api/news/*",
  "/api/predictions/*",
  "/api/evaluations/*",
];

/** What the page runtime (lib/fresh/server.ts) provides: SSR pages and their static assets. */
export interface PageHandler {
  handle(req: Request, state: State): Promise<Response>;
  /** The file for a /static/ URL, or null when there is none. */
  serveStatic(req: Request): Promise<Response | null>;
  /** Changes with the code that renders: part of cached pages' ETags. */
  readonly buildId: string;
}

export interface AppOptions {
  /**
   * Mounts extra routes (the Telegram webhook, test endpoints) after the middleware and before
   * the /api 404 and the page fallback, so they are reachable.
   */
  routes?: (hono: Hono<AppEnv>) => void;
}

export function createApp(
  app: AppContext,
  pages: PageHandler,
  metrics: Registry,
  options: AppOptions = {},
): Hono<AppEnv> {
  const hono = new Hono<AppEnv>();
  // Outermost first: the id exists before anything logs; the log and metrics see the final
  // status (errors are turned into responses by onError where they are thrown).
  hono.use(requestId());
  hono.use(accessLog(app.log));
  hono.use(requestMetrics(metrics));
  hono.use(securityHeaders({ trustProxy: app.config.trustProxy }));
  hono.onError(errorHandler(app.log));

  hono.get("/health", async (c) => {
    const report = await checkHealth(healthChecks(app));
    return c.json(report, healthStatusCode(report));
  });
  registerOpsMetrics(metrics, { sql: app.db.sql, embedderId: app.embedder.id, log: app.log });
  hono.get(
    "/metrics",
    async () =>
      new Response(await metrics.scrape(), { headers: { "Content-Type": METRICS_CONTENT_TYPE } }),
  );

  const telegram = app.telegram;
  if (telegram) hono.post("/telegram/webhook", (c) => telegram.webhook(c));

  // Anonymous page views and public API reads come from the rendered-response cache while the
  // data version holds.
  const cachedResponses = pageCache({
    cache: app.cache,
    buildId: pages.buildId,
    perVisitorMarkers: [`name="${CSRF_FIELD}"`],
  });

  hono.use("/api/*", bodyLimit(app.config.bodyLimitBytes));
  hono.use("/api/*", authenticateApi(app));
  for (const publicRead of PUBLIC_API_READS) hono.get(publicRead, cachedResponses);
  options.routes?.(hono);
  hono.route("/api", apiRouter(app));
  hono.all("/api/*", apiNotFound);

  hono.get("/static/*", async (c) => {
    const response = await pages.serveStatic(c.req.raw);
    if (!response) throw new NotFound();
    return response;
  });
  hono.all("*", cachedResponses, (c) => {
    const state = initialState(app, c.get("requestId"), clientIp(c, app.config.trustProxy));
    return pages.handle(c.req.raw, state);
  });
  return hono;
}
