// Public surface of the Fresh-compatible runtime: what routes, islands and the host import.
export type {
  AppProps,
  ErrorPageProps,
  FreshContext,
  Handler,
  Handlers,
  KnownMethod,
  LayoutProps,
  Manifest,
  MiddlewareHandler,
  PageComponent,
  PageProps,
  RenderOptions,
} from "./types.ts";
export { createDefine, define } from "./define.ts";
export type { Define } from "./define.ts";
export { createFreshHandler } from "./server.ts";
export type { FreshHandler, FreshOptions } from "./server.ts";
export { IslandPropError } from "./serialize.ts";
