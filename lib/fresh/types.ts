// The Fresh 1.x route contract: what route, layout, middleware and island modules export and
// what they receive. Runtime modules validate manifest exports against these shapes at start-up.
import type { ComponentChildren, ComponentType } from "preact";
import type { State } from "../state.ts";

export const KNOWN_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type KnownMethod = typeof KNOWN_METHODS[number];

export interface RenderOptions {
  status?: number;
  headers?: HeadersInit;
}

/** The `ctx` of handlers and middleware (one per request, `next` per middleware layer). */
export interface FreshContext<S = State, Data = unknown> {
  readonly url: URL;
  /** Decoded dynamic segments of the matched route; `{}` when no route matched. */
  readonly params: Record<string, string>;
  /** Shared by every middleware and the route of one request. */
  readonly state: S;
  /** The matched route pattern ("/stocks/:id"); undefined when no route matched. */
  readonly route?: string;
  /** Renders the route's page (inside its layouts and `_app`) with `data`. */
  render(data?: Data, options?: RenderOptions): Promise<Response>;
  /** Renders `_404` with status 404. */
  renderNotFound(data?: unknown): Promise<Response>;
  /** Runs the next middleware, or the route when none is left. Callable once per middleware. */
  next(): Promise<Response>;
}

export type Handler<Data = unknown, S = State> = (
  req: Request,
  ctx: FreshContext<S, Data>,
) => Response | Promise<Response>;

export type Handlers<Data = unknown, S = State> = { [M in KnownMethod]?: Handler<Data, S> };

export type MiddlewareHandler<S = State> = (
  req: Request,
  ctx: FreshContext<S>,
) => Response | Promise<Response>;

export interface PageProps<Data = undefined, S = State> {
  url: URL;
  params: Record<string, string>;
  data: Data;
  state: S;
  route?: string;
}

export type PageComponent<Data = undefined, S = State> = (
  props: PageProps<Data, S>,
) => ComponentChildren;

/** `_app.tsx` and `_layout.tsx`: render `<Component />` where the inner content goes. */
export interface AppProps<S = State> extends PageProps<unknown, S> {
  Component: ComponentType;
}
export type LayoutProps<S = State> = AppProps<S>;

/** `_500.tsx` (also used for other HttpError statuses such as 400, 401, 403). */
export interface ErrorPageProps<S = State> extends PageProps<undefined, S> {
  error: unknown;
  status: number;
}

/** A module namespace object as `import * as $0` produces it. */
export type ModuleExports = { readonly [exportName: string]: unknown };

/** The shape of `fresh.gen.ts`'s default export. */
export interface Manifest {
  /** "./routes/index.tsx" → module. */
  routes: Record<string, ModuleExports>;
  /** "./islands/ThemeToggle.tsx" → module (its default export is the island). */
  islands: Record<string, ModuleExports>;
  /** `import.meta.url` of the manifest: files are resolved relative to it. */
  baseUrl: string;
}
