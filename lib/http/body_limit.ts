// Refuses request bodies over `limitBytes` with 413 before a handler sees them. A declared
// Content-Length is checked up front (the server holds the client to it); a chunked body, which
// declares nothing, is read here up to the limit and handed on from memory.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";
import { PayloadTooLarge } from "./errors.ts";
import { readBodyLimited } from "./read_body.ts";

export function bodyLimit(limitBytes: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("bodyLimitBytes", limitBytes);
    const request = c.req.raw;
    if (request.body === null) return await next();
    const declared = request.headers.get("Content-Length");
    if (declared !== null) {
      if (Number(declared) > limitBytes) throw new PayloadTooLarge(limitBytes);
      return await next();
    }
    const body = await readBodyLimited(request.body, limitBytes);
    // Same URL, method and headers, the body from memory. Not the abort signal: touching
    // request.signal makes Deno 2.9 warn about its legacy abort behaviour on every process.
    const bodyless = body.byteLength === 0 || request.method === "GET" || request.method === "HEAD";
    c.req.raw = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: bodyless ? null : body,
    });
    await next();
  });
}
