// The public entry of the Fresh-compatible runtime: compiles the manifest, builds the islands and
// answers page and /static requests. Everything file-system related happens here, at start-up.
import type { ComponentType } from "preact";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BadRequest } from "../http/errors.ts";
import { createLogger } from "../log.ts";
import type { Logger } from "../log.ts";
import type { State } from "../state.ts";
import { createAssetPlanner, ISLANDS_PATH } from "./assets.ts";
import { buildIslands, bundleId, gzipSize } from "./bundle.ts";
import type { IslandSource } from "./bundle.ts";
import { dispatch } from "./dispatch.ts";
import { pageErrorOutcome } from "./error_policy.ts";
import { registerIslands } from "./islands.ts";
import type { Island } from "./islands.ts";
import { runMiddlewares } from "./middleware.ts";
import type { BaseContext } from "./middleware.ts";
import { createPageRenderer } from "./pages.ts";
import { fallbackPage, notFoundText, textResponse, withoutBody } from "./responses.ts";
import { compileRouteTable } from "./route_table.ts";
import type { RouteMatch } from "./route_table.ts";
import { createStaticFiles, etagMatches } from "./static_files.ts";
import type { Manifest } from "./types.ts";

export interface FreshOptions {
  /** Folder served at /static/ (default: static/ next to the manifest). */
  staticDir?: string;
  /** Unminified islands with inline source maps, and no caching of static/ files. */
  dev?: boolean;
  /** Where render errors and the island build time are logged (default: JSON lines). */
  log?: Logger;
}

export interface FreshHandler<S = State> {
  /** Page request; `state` seeds ctx.state (the host passes lib/state.ts's initialState). */
  handle(req: Request, state: S): Promise<Response>;
  /** /static/* requests (island bundles and static/ files); null when the path isn't static. */
  serveStatic(req: Request): Promise<Response | null>;
  /** Total gzipped bytes of the JS files a rendered page loads (for tests and benchmarks). */
  pageScriptBytes(html: string): Promise<number>;
  /** How long the start-up island build took. */
  readonly islandBuildMs: number;
  /** Changes whenever a built island file does (page caches put it in their ETags). */
  readonly buildId: string;
  close(): Promise<void>;
}

const STATIC_PREFIX = "/static/";
const ISLAND_ID_RESERVED = new Set(["runtime", "chunk"]);

function islandId(key: string): string {
  const match = /^\.\/islands\/(.+)\.(tsx|ts|jsx|js)$/.exec(key);
  if (!match) throw new Error(`manifest island "${key}" must look like "./islands/<Name>.tsx"`);
  const id = match[1].replace(/[^A-Za-z0-9_$]/g, "_");
  if (ISLAND_ID_RESERVED.has(id)) throw new Error(`${key}: "${id}" is a reserved island name`);
  return id;
}

function collectIslands(manifest: Manifest, root: string): (Island & IslandSource)[] {
  const seen = new Map<string, string>();
  return Object.entries(manifest.islands).map(([key, module]) => {
    const id = islandId(key);
    const other = seen.get(id);
    if (other) throw new Error(`islands ${key} and ${other} both get the id "${id}"`);
    seen.set(id, key);
    if (typeof module.default !== "function") {
      throw new Error(`${key}: the default export must be the island component`);
    }
    const component = module.default as ComponentType<never>;
    return { id, component, path: resolve(root, key) };
  });
}

export async function createFreshHandler<S = State>(
  manifest: Manifest,
  options: FreshOptions = {},
): Promise<FreshHandler<S>> {
  const dev = options.dev ?? false;
  const log = options.log ?? createLogger("info");
  const root = dirname(fileURLToPath(manifest.baseUrl));
  const table = compileRouteTable(manifest);
  const islands = collectIslands(manifest, root);
  const bundle = await buildIslands(islands, { root, dev });
  const unregister = registerIslands(islands);
  const planAssets = createAssetPlanner(bundle);
  const staticFiles = createStaticFiles(options.staticDir ?? resolve(root, "static"), { dev });
  if (islands.length > 0) {
    log.info("islands built", { islands: islands.length, ms: Math.round(bundle.buildMs), dev });
  }

  const pages = createPageRenderer(table, planAssets);

  const respondToError = (error: unknown, req: Request, ctx: BaseContext): Response => {
    const outcome = pageErrorOutcome(error, ctx.url);
    if (outcome.kind === "redirect") {
      return new Response(null, {
        status: outcome.status,
        headers: { location: outcome.location },
      });
    }
    const status = outcome.kind === "notFound" ? 404 : outcome.status;
    if (status >= 500) {
      log.error("page failed", {
        method: req.method,
        path: ctx.url.pathname,
        error,
        stack: error instanceof Error ? error.stack : undefined,
      });
    }
    try {
      return outcome.kind === "notFound"
        ? pages.notFound(ctx, undefined)
        : pages.error(ctx, error, status);
    } catch (pageError) {
      log.error("error page failed to render", { path: ctx.url.pathname, error: pageError });
      return fallbackPage(status);
    }
  };

  const handle = async (req: Request, state: S): Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname.length > 1 && url.pathname.endsWith("/")) {
      // One canonical URL per page; collapse leading slashes so "//host/" can't become an
      // off-site redirect.
      const path = url.pathname.replace(/\/+$/, "").replace(/^\/+/, "/") || "/";
      return new Response(null, { status: 308, headers: { location: path + url.search } });
    }
    let match: RouteMatch | null = null;
    let matchError: unknown = null;
    try {
      match = table.match(url.pathname);
    } catch {
      matchError = new BadRequest("The URL is not valid percent-encoding");
    }
    const route = match?.route;
    const ctx: BaseContext = {
      url,
      params: match?.params ?? {},
      state,
      route: route?.pattern.pattern,
      render: (data, opts) => {
        if (!route) throw new Error("ctx.render(): no route matched this request");
        return Promise.resolve(pages.route(route, ctx, data, opts));
      },
      renderNotFound: (data) => Promise.resolve(pages.notFound(ctx, data)),
    };
    let response: Response;
    try {
      if (matchError) throw matchError;
      const middlewares = route ? route.middlewares : table.middlewaresFor(url.pathname);
      response = await runMiddlewares(middlewares, req, ctx, () => {
        if (!route) return Promise.resolve(pages.notFound(ctx, undefined));
        // The route sees the same context, with a `next` that explains its misuse.
        return dispatch(req, {
          ...ctx,
          next: () => Promise.reject(new Error("ctx.next() is only available in middleware")),
        }, route);
      });
    } catch (error) {
      response = respondToError(error, req, ctx);
    }
    return req.method === "HEAD" ? withoutBody(response) : response;
  };

  const serveIsland = (req: Request, name: string): Response => {
    const bytes = bundle.files.get(name);
    if (!bytes) return notFoundText();
    // The name carries a content hash: the file never changes under that name.
    const headers = new Headers({
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${name}"`,
      "x-content-type-options": "nosniff",
    });
    if (etagMatches(req.headers.get("if-none-match"), `"${name}"`)) {
      return new Response(null, { status: 304, headers });
    }
    headers.set("content-length", String(bytes.byteLength));
    return new Response(req.method === "HEAD" ? null : bytes, { headers });
  };

  return {
    handle,
    async serveStatic(req) {
      const { pathname } = new URL(req.url);
      if (!pathname.startsWith(STATIC_PREFIX)) return null;
      if (req.method !== "GET" && req.method !== "HEAD") {
        return textResponse(405, "Method Not Allowed", { allow: "GET, HEAD" });
      }
      if (pathname.startsWith(ISLANDS_PATH)) {
        return serveIsland(req, pathname.slice(ISLANDS_PATH.length));
      }
      return await staticFiles.serve(req, pathname.slice(STATIC_PREFIX.length));
    },
    async pageScriptBytes(html) {
      // Every island file a page loads is named in its preload links or payload.
      const files = new Set(
        [...html.matchAll(/\/static\/_islands\/([\w.-]+\.js)/g)].map((m) => m[1]),
      );
      let total = 0;
      for (const file of files) {
        const bytes = bundle.files.get(file);
        if (bytes) total += await gzipSize(bytes);
      }
      return total;
    },
    islandBuildMs: bundle.buildMs,
    buildId: await bundleId(bundle),
    close() {
      unregister();
      return Promise.resolve();
    },
  };
}
