// Gives every request an id: the caller's `X-Request-Id` when it is sane (a proxy's id keeps one
// id across hops), a fresh UUID otherwise. Echoed on the response and available as
// `c.get("requestId")` for logs.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";
import { setResponseHeaders } from "./response_headers.ts";

/** Bounded and plain, so a client can't inject log fields or huge values. */
const SANE_ID = /^[\w-]{1,64}$/;

export function requestId() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header("X-Request-Id");
    const id = incoming !== undefined && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    // After next(), so it also reaches Responses that handlers (pages) built themselves.
    setResponseHeaders(c, [["X-Request-Id", id]]);
  });
}
