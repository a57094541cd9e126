// Typed helpers in the style of Fresh 2's `createDefine<State>()`: routes, handlers and middleware
// share one State type instead of each casting `ctx.state`. They return their argument unchanged.
import type { ComponentChildren } from "preact";
import type { State } from "../state.ts";
import type {
  AppProps,
  ErrorPageProps,
  Handler,
  Handlers,
  LayoutProps,
  MiddlewareHandler,
  PageProps,
} from "./types.ts";

export interface Define<S> {
  /** A route's default export: `export default define.page<Data>(({ data }) => …)`. */
  page<Data = undefined>(
    component: (props: PageProps<Data, S>) => ComponentChildren,
  ): (props: PageProps<Data, S>) => ComponentChildren;
  /** A route's `handler` export: an object per HTTP method… */
  handlers<Data = undefined>(handlers: Handlers<Data, S>): Handlers<Data, S>;
  /** …or one function for every method. */
  handlers<Data = undefined>(handler: Handler<Data, S>): Handler<Data, S>;
  /** A `_middleware.ts`'s `handler` export: one function… */
  middleware(handler: MiddlewareHandler<S>): MiddlewareHandler<S>;
  /** …or several, run in order. */
  middleware(handlers: MiddlewareHandler<S>[]): MiddlewareHandler<S>[];
  /** `_layout.tsx`'s default export. */
  layout(
    component: (props: LayoutProps<S>) => ComponentChildren,
  ): (props: LayoutProps<S>) => ComponentChildren;
  /** `_app.tsx`'s default export. */
  app(
    component: (props: AppProps<S>) => ComponentChildren,
  ): (props: AppProps<S>) => ComponentChildren;
  /** `_500.tsx`'s default export. */
  errorPage(
    component: (props: ErrorPageProps<S>) => ComponentChildren,
  ): (props: ErrorPageProps<S>) => ComponentChildren;
}

const identity = <T>(value: T): T => value;

export function createDefine<S>(): Define<S> {
  return {
    page: (component) => component,
    handlers: identity,
    middleware: identity,
    layout: (component) => component,
    app: (component) => component,
    errorPage: (component) => component,
  };
}

/** Bound to Craveny's request State (lib/state.ts). */
export const define: Define<State> = createDefine<State>();
