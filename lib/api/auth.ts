// /api/auth: sign in, refresh, sign out, who am I.
//   POST /login    JSON {email, password[, includeRefreshToken]} → 200 {accessToken, expiresIn,
//                  user, csrfToken} and the session cookies; 401 invalid_credentials; 429
//   POST /refresh  the refresh token from JSON {refreshToken} or the refresh cookie → a new pair
//   GET  /refresh?next=/path  the browser's way back in when a page met an expired access token
//                  (routes/_middleware.ts): refreshes from the cookie, then 303 to `next`
//   POST /logout   ends the session of the refresh token or access token presented → 204
//   GET  /me       the signed-in user (401 without one), marked for no cache to keep
// Browsers keep the tokens in HttpOnly cookies (lib/auth/cookies.ts). Scripts and other API
// clients send the access token as a bearer token; they get the refresh token in the body only
// when they ask (includeRefreshToken, or by refreshing with a token from the body), so a page's
// scripts never need to see one. The JSON-only login can't be posted by another site's form
// (a cross-site JSON post needs a CORS preflight, which this API never grants).
import { type Context, Hono } from "hono";
import { CSRF_HEADER, CsrfFailed, csrfMatches, csrfTokenFor } from "../auth/csrf.ts";
import {
  clearedSessionCookies,
  readCookie,
  REFRESH_COOKIE,
  seeOther,
  sessionCookies,
  withCookies,
} from "../auth/cookies.ts";
import { signIn } from "../auth/login.ts";
import { safeNextPath } from "../auth/next_path.ts";
import {
  type ClientInfo,
  endSession,
  type IssuedSession,
  RefreshRejected,
  refreshSession,
  sessionOfRefreshToken,
} from "../auth/sessions.ts";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../http/env.ts";
import { BadRequest, errorBody } from "../http/errors.ts";
import { readJson } from "../http/json_body.ts";
import { clientIp } from "../http/request_origin.ts";
import { requireRole, signedIn } from "../http/require_role.ts";
import { PRIVATE_RESPONSE_HEADERS } from "../http/response_headers.ts";

type Ctx = Context<AppEnv>;

interface LoginBody {
  email: string;
  password: string;
  includeRefreshToken: boolean;
}

const LOGIN_FIELDS = new Set(["email", "password", "includeRefreshToken"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseLoginBody(body: unknown): LoginBody {
  if (!isObject(body)) throw new BadRequest("Expected a JSON object {email, password}");
  const problems = Object.keys(body).filter((key) => !LOGIN_FIELDS.has(key))
    .map((key) => `${key}: unknown field`);
  if (typeof body.email !== "string") problems.push("email: expected a string");
  if (typeof body.password !== "string") problems.push("password: expected a string");
  if (body.includeRefreshToken !== undefined && typeof body.includeRefreshToken !== "boolean") {
    problems.push("includeRefreshToken: expected true or false");
  }
  if (problems.length) throw new BadRequest(problems.join("; "), { problems });
  return {
    email: body.email as string,
    password: body.password as string,
    includeRefreshToken: body.includeRefreshToken === true,
  };
}

/** A refresh token sent in a JSON body, or undefined when the request has no body. */
async function bodyRefreshToken(c: Ctx): Promise<string | undefined> {
  if (c.req.raw.body === null || c.req.header("Content-Length") === "0") return undefined;
  const body = await readJson(c);
  if (!isObject(body) || typeof body.refreshToken !== "string") {
    throw new BadRequest("Expected a JSON object {refreshToken}, or no body and the cookie");
  }
  return body.refreshToken;
}

function sessionJson(issued: IssuedSession, includeRefreshToken: boolean) {
  return {
    accessToken: issued.accessToken,
    tokenType: "Bearer",
    expiresIn: issued.expiresIn,
    user: issued.user,
    csrfToken: issued.csrfToken,
    ...(includeRefreshToken ? { refreshToken: issued.refreshToken } : {}),
  };
}

export function authRouter(app: AppContext): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const client = (c: Ctx): ClientInfo => ({
    ip: clientIp(c, app.config.trustProxy),
    userAgent: c.req.header("User-Agent") ?? null,
  });
  const respond = (c: Ctx, issued: IssuedSession, includeRefreshToken: boolean) =>
    withCookies(
      Response.json(sessionJson(issued, includeRefreshToken), {
        headers: { "Cache-Control": "no-store" },
      }),
      sessionCookies(app.config, c.req.raw, issued),
    );
  const logRefusal = (c: Ctx, error: RefreshRejected) =>
    app.log.info("refresh refused", { reason: error.reason, requestId: c.get("requestId") });
  /** A refused refresh also removes the cookies that carried it. */
  const refused = (c: Ctx, error: RefreshRejected) => {
    logRefusal(c, error);
    return withCookies(
      Response.json(errorBody(error.code, error.message), {
        status: error.status,
        headers: error.headers,
      }),
      clearedSessionCookies(app.config, c.req.raw),
    );
  };

  router.post("/login", async (c) => {
    const body = parseLoginBody(await readJson(c));
    const issued = await signIn(app, body, client(c));
    return respond(c, issued, body.includeRefreshToken);
  });

  router.post("/refresh", async (c) => {
    const fromBody = await bodyRefreshToken(c);
    const token = fromBody ?? readCookie(c.req.raw, REFRESH_COOKIE);
    try {
      if (!token) throw new RefreshRejected("unknown");
      return respond(c, await refreshSession(app, token, client(c)), fromBody !== undefined);
    } catch (error) {
      if (error instanceof RefreshRejected) return refused(c, error);
      throw error;
    }
  });

  router.get("/refresh", async (c) => {
    const next = safeNextPath(c.req.query("next")) ?? "/";
    const token = readCookie(c.req.raw, REFRESH_COOKIE);
    let cookies: string[];
    try {
      if (!token) throw new RefreshRejected("unknown");
      cookies = sessionCookies(app.config, c.req.raw, await refreshSession(app, token, client(c)));
    } catch (error) {
      if (!(error instanceof RefreshRejected)) throw error;
      logRefusal(c, error);
      // Back to the page signed out: it may be public, and if not it sends the visitor to /login.
      cookies = clearedSessionCookies(app.config, c.req.raw);
    }
    return seeOther(next, cookies);
  });

  /** The session a logout ends: a refresh token's in the body, the access token's, the cookie's. */
  const sessionToEnd = async (c: Ctx): Promise<{ session: string | null; viaCookie: boolean }> => {
    const fromBody = await bodyRefreshToken(c);
    if (fromBody !== undefined) {
      return { session: await sessionOfRefreshToken(app, fromBody), viaCookie: false };
    }
    const auth = c.get("auth");
    if (auth?.user) return { session: auth.session, viaCookie: auth.via === "cookie" };
    const cookieToken = readCookie(c.req.raw, REFRESH_COOKIE);
    const session = cookieToken ? await sessionOfRefreshToken(app, cookieToken) : null;
    return { session, viaCookie: true };
  };

  router.post("/logout", async (c) => {
    const { session, viaCookie } = await sessionToEnd(c);
    // Cookies ride along on forged cross-site posts: a cookie-based logout proves it came from
    // our own pages with the session's CSRF token.
    if (
      session && viaCookie &&
      !csrfMatches(c.req.header(CSRF_HEADER), csrfTokenFor(app.authKeys.csrf, { session }))
    ) {
      throw new CsrfFailed();
    }
    if (session) {
      await endSession(app, session);
      app.log.info("signed out", { session, requestId: c.get("requestId") });
    }
    return withCookies(
      new Response(null, { status: 204 }),
      clearedSessionCookies(app.config, c.req.raw),
    );
  });

  router.get("/me", requireRole("investor"), (c) => {
    const auth = signedIn(c);
    return c.json({ user: auth.user, csrfToken: auth.csrfToken }, 200, PRIVATE_RESPONSE_HEADERS);
  });

  return router;
}
