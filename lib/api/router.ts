// The /api sub-app. Domain routers are mounted from SECTIONS below as they are written; GET /api
// lists what is mounted, GET /api/openapi.json describes it (openapi.ts), and any other /api path
// answers a JSON 404.
import { Hono } from "hono";
import { etag } from "hono/etag";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import { NotFound } from "../http/errors.ts";
import { requireRole } from "../http/require_role.ts";
import { authRouter } from "./auth.ts";
import { evaluationsRouter } from "./evaluations.ts";
import { experimentsRouter } from "./experiments.ts";
import { jobsRouter } from "./jobs.ts";
import { modelsRouter } from "./models.ts";
import { newsRouter } from "./news.ts";
import { OPENAPI_PATH, openApiDocument } from "./openapi.ts";
import { predictionsRouter } from "./predictions.ts";
import { stocksRouter } from "./stocks.ts";
import { streamRouter } from "./stream.ts";

export const API_VERSION = "1";

export interface ApiSection {
  /** Mount path below /api, e.g. "/stocks". */
  path: `/${string}`;
  description: string;
  router(app: AppContext): Hono<AppEnv>;
  /** Admin only: every request needs an admin's access token (lib/http/require_role.ts). */
  admin?: boolean;
}

/**
 * Domain routers, in mount order. Add one line per domain, e.g.
 * `{ path: "/stocks", description: "Stocks and prices", router: stocksRouter }`.
 */
export const SECTIONS: readonly ApiSection[] = [
  {
    path: "/auth",
    description: "Sign in, refresh and sign out; the signed-in user",
    router: authRouter,
  },
  { path: "/stocks", description: "Stocks and their daily prices", router: stocksRouter },
  { path: "/news", description: "Matched news, searchable and paginated", router: newsRouter },
  {
    path: "/jobs",
    description: "Recent job runs; start one now (admin)",
    router: jobsRouter,
    admin: true,
  },
  {
    path: "/predictions",
    description: "Model predictions, filterable, paginated, CSV export",
    router: predictionsRouter,
  },
  {
    path: "/evaluations",
    description: "Model leaderboard, metrics and curves, paired comparisons, A/B results",
    router: evaluationsRouter,
  },
  {
    path: "/stream",
    description: "New live predictions as server-sent events (/api/stream/predictions)",
    router: streamRouter,
  },
  {
    path: "/models",
    description: "Model registry and prompt versions (admin)",
    router: modelsRouter,
    admin: true,
  },
  {
    path: "/ab-tests",
    description: "A/B experiments between models, with results (admin)",
    router: experimentsRouter,
    admin: true,
  },
];

export function apiRouter(app: AppContext, sections: readonly ApiSection[] = SECTIONS) {
  const api = new Hono<AppEnv>();
  api.get("/", (c) =>
    c.json({
      name: "Craveny API",
      version: API_VERSION,
      openapi: `/api${OPENAPI_PATH}`,
      sections: sections.map(({ path, description }) => ({ path: `/api${path}`, description })),
    }));
  // Public and the same for everyone until a deploy changes it: built once, cacheable.
  const openapi = JSON.stringify(openApiDocument(sections, API_VERSION));
  api.get(OPENAPI_PATH, etag(), (c) =>
    c.body(openapi, 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
    }));
  const admin = requireRole("admin");
  for (const section of sections) {
    if (section.admin) api.use(section.path, admin).use(`${section.path}/*`, admin);
    api.route(section.path, section.router(app));
  }
  return api;
}

/**
 * The last /api handler: unknown API paths answer JSON, not the HTML 404 page. Registered by
 * createApp after every other /api route (a sub-app's notFound is not used once mounted).
 */
export function apiNotFound(): never {
  throw new NotFound("No such API endpoint");
}
