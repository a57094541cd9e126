// The Hono environment every Craveny app, router and middleware shares, so `c.get` is typed.
import type { CredentialSource } from "../auth/authenticate.ts";
import type { AuthUser } from "../auth/user.ts";

/** Who an API request comes from, set by lib/http/authenticate.ts. */
export type ApiAuth =
  | {
    user: AuthUser;
    /** The session family id. */
    session: string;
    via: CredentialSource;
    /** The CSRF token cookie-authenticated writes must send (lib/auth/csrf.ts). */
    csrfToken: string;
  }
  /** Anonymous; `rejected` when a credential was presented but not accepted. */
  | { user: null; rejected: boolean };

export interface AppEnv {
  Variables: {
    /** Set by lib/http/request_id.ts for every request. */
    requestId: string;
    /** The body limit in force, set by lib/http/body_limit.ts (readJson falls back to a default). */
    bodyLimitBytes?: number;
    /** Set for every /api request by lib/http/authenticate.ts; null when anonymous. */
    user?: AuthUser | null;
    /** The same, with how the request authenticated; set with `user`. */
    auth?: ApiAuth;
  };
}
