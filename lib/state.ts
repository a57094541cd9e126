import type { AuthUser } from "./auth/user.ts";
import type { AppContext } from "./context.ts";

/** `ctx.state` of every page handler and middleware. */
export interface State {
  app: AppContext;
  requestId: string;
  /** The client's address (behind a trusted proxy, from X-Forwarded-For). */
  clientIp: string;
  /** The signed-in user, set by routes/_middleware.ts; null for anonymous visitors. */
  user: AuthUser | null;
  /** This visitor's CSRF token for forms (components/CsrfField.tsx), set by routes/_middleware.ts. */
  csrfToken: string;
}

/** The state a page request starts with: routes/_middleware.ts fills in `user` and `csrfToken`. */
export function initialState(app: AppContext, requestId: string, clientIp: string): State {
  // An empty CSRF token never matches (lib/auth/csrf.ts), should the middleware not have run.
  return { app, requestId, clientIp, user: null, csrfToken: "" };
}
