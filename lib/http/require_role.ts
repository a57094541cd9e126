// Guards API routes by role, after lib/http/authenticate.ts: 401 without a valid access token
// (bearer or cookie), 403 `csrf_failed` for a cookie-authenticated write without the CSRF header,
// 403 for a role that is not enough (an admin has every investor right).
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { CSRF_HEADER, CsrfFailed, csrfMatches } from "../auth/csrf.ts";
import { hasRole, type Role } from "../auth/user.ts";
import type { ApiAuth, AppEnv } from "./env.ts";
import { Forbidden, INVALID_TOKEN_CHALLENGE, Unauthorized } from "./errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function requireRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const auth = c.get("auth");
    if (!auth?.user) {
      throw auth?.rejected
        ? new Unauthorized(
          "The access token is invalid or expired: refresh it or sign in again",
          INVALID_TOKEN_CHALLENGE,
        )
        : new Unauthorized("Sign in required: send a bearer access token from /api/auth/login");
    }
    // Browsers attach cookies to forged cross-site requests, never bearer tokens.
    if (
      auth.via === "cookie" && !SAFE_METHODS.has(c.req.method) &&
      !csrfMatches(c.req.header(CSRF_HEADER), auth.csrfToken)
    ) {
      throw new CsrfFailed();
    }
    if (!hasRole(auth.user, role)) throw new Forbidden(`This needs the ${role} role`);
    await next();
  });
}

/**
 * The authentication of a request that `requireRole` admitted, narrowed to a signed-in one (a
 * 401 if a route forgot the guard).
 */
export function signedIn(c: Context<AppEnv>): Extract<ApiAuth, { user: object }> {
  const auth = c.get("auth");
  if (!auth?.user) throw new Unauthorized();
  return auth;
}
