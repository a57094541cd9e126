// The cookies of a browser login. All HttpOnly (scripts never see a token) and SameSite=Lax (not
// sent on cross-site posts); Secure per COOKIE_SECURE (.env.example).
//   craveny_access   the access token, Path=/
//   craveny_refresh  the refresh token, Path=/api/auth: it travels only to the endpoints that use it
//   craveny_visitor  a random id that anonymous visitors' CSRF tokens are bound to (csrf.ts)
import { parse, serialize } from "hono/utils/cookie";
import type { Config } from "../config.ts";
import { isHttps, isLoopbackHost } from "../http/request_origin.ts";

export const ACCESS_COOKIE = "craveny_access";
export const REFRESH_COOKIE = "craveny_refresh";
export const VISITOR_COOKIE = "craveny_visitor";
export const REFRESH_COOKIE_PATH = "/api/auth";

type CookieConfig = Pick<Config, "auth" | "trustProxy">;

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.get("Cookie");
  return header ? parse(header, name)[name] : undefined;
}

/** Secure unless COOKIE_SECURE says otherwise or the request is plain http to this machine. */
export function secureCookies(config: CookieConfig, req: Request): boolean {
  return config.auth.cookieSecure ??
    (isHttps(req, config.trustProxy) || !isLoopbackHost(new URL(req.url).hostname));
}

/** Set-Cookie values that store a login in the browser. */
export function sessionCookies(
  config: CookieConfig,
  req: Request,
  tokens: { accessToken: string; refreshToken: string },
): string[] {
  const secure = secureCookies(config, req);
  // The access cookie outlives its token on purpose: a page request then shows an expired but
  // authentic token and is sent through GET /api/auth/refresh, the only path that sees the
  // refresh cookie. Without it a reader would be signed out after AUTH_ACCESS_TTL_SECONDS.
  const maxAge = config.auth.refreshTtlDays * 86_400;
  const base = { httpOnly: true, secure, sameSite: "Lax", maxAge } as const;
  return [
    serialize(ACCESS_COOKIE, tokens.accessToken, { ...base, path: "/" }),
    serialize(REFRESH_COOKIE, tokens.refreshToken, { ...base, path: REFRESH_COOKIE_PATH }),
  ];
}

/** Set-Cookie values that remove a login from the browser. */
export function clearedSessionCookies(config: CookieConfig, req: Request): string[] {
  const secure = secureCookies(config, req);
  const base = { httpOnly: true, secure, sameSite: "Lax", maxAge: 0 } as const;
  return [
    serialize(ACCESS_COOKIE, "", { ...base, path: "/" }),
    serialize(REFRESH_COOKIE, "", { ...base, path: REFRESH_COOKIE_PATH }),
  ];
}

/** The anonymous visitor's id cookie; a browser session cookie (gone when the browser closes). */
export function visitorCookie(config: CookieConfig, req: Request, id: string): string {
  return serialize(VISITOR_COOKIE, id, {
    httpOnly: true,
    secure: secureCookies(config, req),
    sameSite: "Lax",
    path: "/",
  });
}

/** `response` with the Set-Cookie headers added (copied first when its headers are immutable). */
export function withCookies(response: Response, cookies: readonly string[]): Response {
  if (cookies.length === 0) return response;
  try {
    for (const cookie of cookies) response.headers.append("Set-Cookie", cookie);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(response.body, response);
    for (const cookie of cookies) copy.headers.append("Set-Cookie", cookie);
    return copy;
  }
}

/** 303 See Other to `location`, setting `cookies` (after a sign-in, sign-out or refresh). */
export function seeOther(location: string, cookies: readonly string[]): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}
