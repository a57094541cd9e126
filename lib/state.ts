import type { AppContext } from "./context.ts";

/** `ctx.state` of every page handler and middleware. */
export interface State {
  app: AppContext;
  requestId: string;
}
