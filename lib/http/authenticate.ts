// Sets `user` and `auth` for every /api request from its bearer token or access cookie
// (lib/auth/authenticate.ts). It never refuses a request: public endpoints serve anonymous
// callers, and lib/http/require_role.ts answers 401/403 where a role is needed.
import { createMiddleware } from "hono/factory";
import { accessCredential, authenticate } from "../auth/authenticate.ts";
import { csrfTokenFor } from "../auth/csrf.ts";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "./env.ts";

export function authenticateApi(app: Pick<AppContext, "authKeys" | "db" | "log">) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = accessCredential(c.req.raw, { bearer: true });
    const result = await authenticate(app, credential);
    if (result.status === "signed_in") {
      const { user, session, via } = result;
      c.set("user", user);
      c.set("auth", {
        user,
        session,
        via,
        csrfToken: csrfTokenFor(app.authKeys.csrf, { session }),
      });
    } else {
      c.set("user", null);
      c.set("auth", { user: null, rejected: credential !== null });
    }
    await next();
  });
}
