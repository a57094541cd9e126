// Every page request: who is signed in (the access cookie, checked against the database) and the
// CSRF token of its forms (lib/auth/csrf.ts). An access token that merely expired sends a GET
// through /api/auth/refresh — the refresh cookie travels only there — and back; a login that was
// revoked clears its cookies. An anonymous visitor gets the visitor cookie only from a page that
// renders a form: the pages without one stay cookie-free, so the page cache can keep them.
import { accessCredential, authenticate } from "../lib/auth/authenticate.ts";
import {
  clearedSessionCookies,
  readCookie,
  VISITOR_COOKIE,
  visitorCookie,
  withCookies,
} from "../lib/auth/cookies.ts";
import { csrfTokenFor, isVisitorId, newVisitorId } from "../lib/auth/csrf.ts";
import { define } from "../lib/fresh/define.ts";

export const handler = define.middleware(async (req, ctx) => {
  const { app } = ctx.state;
  const credential = accessCredential(req, { bearer: false });
  const auth = await authenticate(app, credential);
  const here = ctx.url.pathname + ctx.url.search;

  if (auth.status === "expired" && (req.method === "GET" || req.method === "HEAD")) {
    const location = `/api/auth/refresh?${new URLSearchParams({ next: here })}`;
    return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
  }

  const cookies: string[] = [];
  if (auth.status === "signed_in") {
    ctx.state.user = auth.user;
    ctx.state.csrfToken = csrfTokenFor(app.authKeys.csrf, { session: auth.session });
  } else if (auth.status === "expired") {
    // A form posted after the access token expired still carries this session's token (signing
    // out after a long pause must work); the page itself treats the visitor as signed out.
    ctx.state.csrfToken = csrfTokenFor(app.authKeys.csrf, { session: auth.session });
  } else {
    if (credential) cookies.push(...clearedSessionCookies(app.config, req));
    const known = readCookie(req, VISITOR_COOKIE);
    let visitor = known && isVisitorId(known) ? known : undefined;
    let issued: string | undefined;
    Object.defineProperty(ctx.state, "csrfToken", {
      configurable: true,
      enumerable: true,
      get() {
        visitor ??= issued = newVisitorId();
        return csrfTokenFor(app.authKeys.csrf, { visitor });
      },
    });
    const response = await ctx.next();
    if (issued) cookies.push(visitorCookie(app.config, req, issued));
    return withCookies(response, cookies);
  }
  return withCookies(await ctx.next(), cookies);
});
