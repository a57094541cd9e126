// Sets headers on the finished response. Hono's `c.header` rebuilds the Response on every call
// once it is final; this mutates in place and rebuilds only when the headers are immutable
// (Response.redirect, responses passed through from fetch).
import type { Context } from "hono";

/**
 * What a response rendered for one signed-in user tells caches: keep no copy (a shared proxy would
 * show it to the next person, the back button after signing out would show it again), and it
 * depends on the credentials sent.
 */
export const PRIVATE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  "Cache-Control": "no-store",
  "Vary": "Cookie, Authorization",
};

/** Sets each header; with `keep`, a header the response already has is left as it is. */
export function setResponseHeaders(
  c: Context,
  headers: Iterable<readonly [string, string]>,
  options: { keep?: boolean } = {},
): void {
  let target = c.res.headers;
  for (const [name, value] of headers) {
    if (options.keep && target.has(name)) continue;
    try {
      target.set(name, value);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      c.res = new Response(c.res.body, c.res);
      target = c.res.headers;
      target.set(name, value);
    }
  }
}
