// Compiles the manifest's routes/ modules into a sorted, validated route table once at start-up:
// patterns, the layouts and middleware that wrap each route, and the special pages.
import type { ComponentType } from "preact";
import { compareRoutePatterns, matchRoutePattern, parseRoutePath } from "./route_pattern.ts";
import type { RoutePattern } from "./route_pattern.ts";
import { KNOWN_METHODS } from "./types.ts";
import type {
  AppProps,
  ErrorPageProps,
  Handler,
  KnownMethod,
  LayoutProps,
  Manifest,
  MiddlewareHandler,
  ModuleExports,
  PageProps,
} from "./types.ts";

// The runtime calls user code with whatever State the host passes in; types erase it here.
export type AnyHandler = Handler<unknown, unknown>;
export type MethodHandlers = Partial<Record<KnownMethod, AnyHandler>>;

export interface Middleware {
  /** "./routes/admin/_middleware.ts#1", named in errors. */
  name: string;
  handler: MiddlewareHandler<unknown>;
}

export interface CompiledRoute {
  file: string;
  pattern: RoutePattern;
  component?: ComponentType<PageProps<unknown, unknown>>;
  handler?: AnyHandler | MethodHandlers;
  /** Outermost first. */
  layouts: ComponentType<LayoutProps<unknown>>[];
  /** Outermost first. */
  middlewares: Middleware[];
}

export interface RouteMatch {
  route: CompiledRoute;
  params: Record<string, string>;
}

export interface RouteTable {
  /** Most specific first. */
  routes: CompiledRoute[];
  app?: ComponentType<AppProps<unknown>>;
  notFound?: ComponentType<PageProps<unknown, unknown>>;
  error?: ComponentType<ErrorPageProps<unknown>>;
  /** routes/_layout.tsx (if any): wraps the 404 and error pages. */
  rootLayouts: ComponentType<LayoutProps<unknown>>[];
  /** Throws URIError when a matching path has bad percent-encoding. */
  match(pathname: string): RouteMatch | null;
  /** Middleware for a path no route matched: the folders (outside route groups) it lies in. */
  middlewaresFor(pathname: string): Middleware[];
}

const EXTENSION = /\.(tsx|ts|jsx|js|mts|mjs)$/;
const ROUTES_PREFIX = "./routes/";

function component<P>(file: string, module: ModuleExports): ComponentType<P> {
  if (typeof module.default !== "function") {
    throw new Error(`${file}: the default export must be a component function`);
  }
  return module.default as ComponentType<P>;
}

function routeHandler(file: string, value: unknown): AnyHandler | MethodHandlers | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "function") return value as AnyHandler;
  if (typeof value !== "object" || value === null) {
    throw new Error(`${file}: "handler" must be a function or an object of HTTP methods`);
  }
  const handlers: MethodHandlers = {};
  for (const [method, fn] of Object.entries(value)) {
    if (!(KNOWN_METHODS as readonly string[]).includes(method)) {
      throw new Error(`${file}: handler.${method} is not an HTTP method (${KNOWN_METHODS})`);
    }
    if (typeof fn !== "function") throw new Error(`${file}: handler.${method} must be a function`);
    handlers[method as KnownMethod] = fn as AnyHandler;
  }
  return handlers;
}

function middlewareHandlers(file: string, module: ModuleExports): Middleware[] {
  const value = module.handler;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((fn) => typeof fn !== "function")) {
    throw new Error(`${file}: export "handler" as a middleware function or an array of them`);
  }
  return list.map((fn, index) => ({
    name: list.length === 1 ? file : `${file}#${index}`,
    handler: fn as MiddlewareHandler<unknown>,
  }));
}

/** "" for the routes/ folder itself, then "a", "a/b" … for "a/b/x". */
function folderChain(folder: string): string[] {
  const chain = [""];
  if (folder === "") return chain;
  const parts = folder.split("/");
  for (let index = 1; index <= parts.length; index++) chain.push(parts.slice(0, index).join("/"));
  return chain;
}

function staticPath(pattern: RoutePattern): string {
  return new URL(`http://x${pattern.pattern}`).pathname;
}

export function compileRouteTable(manifest: Manifest): RouteTable {
  const layouts = new Map<string, ComponentType<LayoutProps<unknown>>>();
  const middlewares = new Map<string, Middleware[]>();
  const pages: { file: string; path: string; folder: string; module: ModuleExports }[] = [];
  let app: ComponentType<AppProps<unknown>> | undefined;
  let notFound: ComponentType<PageProps<unknown, unknown>> | undefined;
  let error: ComponentType<ErrorPageProps<unknown>> | undefined;

  for (const [file, module] of Object.entries(manifest.routes)) {
    if (!file.startsWith(ROUTES_PREFIX) || !EXTENSION.test(file)) {
      throw new Error(`manifest route "${file}" must look like "./routes/<path>.tsx"`);
    }
    const path = file.slice(ROUTES_PREFIX.length).replace(EXTENSION, "");
    const slash = path.lastIndexOf("/");
    const folder = slash === -1 ? "" : path.slice(0, slash);
    const name = path.slice(slash + 1);
    const rootOnly = () => {
      if (folder !== "") throw new Error(`${file}: ${name} is only allowed directly in routes/`);
    };
    if (name === "_app") {
      rootOnly();
      app = component(file, module);
    } else if (name === "_404") {
      rootOnly();
      notFound = component(file, module);
    } else if (name === "_500") {
      rootOnly();
      error = component(file, module);
    } else if (name === "_layout") {
      layouts.set(folder, component(file, module));
    } else if (name === "_middleware") {
      middlewares.set(folder, middlewareHandlers(file, module));
    } else if (name.startsWith("_")) {
      throw new Error(
        `${file}: unknown special file (expected _app, _layout, _middleware, _404, _500)`,
      );
    } else {
      pages.push({ file, path, folder, module });
    }
  }

  const routes: CompiledRoute[] = pages.map(({ file, path, folder, module }) => {
    const handler = routeHandler(file, module.handler);
    const page = module.default === undefined ? undefined : component<PageProps<unknown, unknown>>(
      file,
      module,
    );
    if (!page && !handler) throw new Error(`${file}: export a default page component or a handler`);
    const chain = folderChain(folder);
    return {
      file,
      pattern: parseRoutePath(path),
      component: page,
      handler,
      layouts: chain.flatMap((dir) => layouts.get(dir) ?? []),
      middlewares: chain.flatMap((dir) => middlewares.get(dir) ?? []),
    };
  });
  routes.sort((a, b) => compareRoutePatterns(a.pattern, b.pattern));

  const seen = new Map<string, string>();
  for (const route of routes) {
    const other = seen.get(route.pattern.regex.source);
    if (other) throw new Error(`${route.file} and ${other} both match ${route.pattern.pattern}`);
    seen.set(route.pattern.regex.source, route.file);
  }

  // Exact static paths skip the regex scan; they always outrank dynamic routes anyway.
  const staticRoutes = new Map<string, CompiledRoute>();
  for (const route of routes) {
    if (route.pattern.isStatic) staticRoutes.set(staticPath(route.pattern), route);
  }
  const dynamicRoutes = routes.filter((route) => !route.pattern.isStatic);

  const prefixMiddlewares = [...middlewares.entries()]
    .filter(([folder]) => !folder.split("/").some((part) => /^\(.+\)$/.test(part)))
    .map(([folder, list]) => ({ prefix: parseRoutePath(folder, true), list }))
    .sort((a, b) => a.prefix.rank.length - b.prefix.rank.length);

  const rootLayout = layouts.get("");
  return {
    routes,
    app,
    notFound,
    error,
    rootLayouts: rootLayout ? [rootLayout] : [],
    match(pathname) {
      const exact = staticRoutes.get(pathname);
      if (exact) return { route: exact, params: {} };
      for (const route of dynamicRoutes) {
        const params = matchRoutePattern(route.pattern, pathname);
        if (params) return { route, params };
      }
      return null;
    },
    middlewaresFor(pathname) {
      return prefixMiddlewares.flatMap(({ prefix, list }) =>
        prefix.regex.test(pathname) ? list : []
      );
    },
  };
}
