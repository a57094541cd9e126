// Calls the route handler for the request's method: a function handler takes every method; a
// handler object its own methods, GET defaulting to ctx.render() when the route has a page and
// HEAD falling back to GET; anything else is 405 with an Allow header.
import { textResponse } from "./responses.ts";
import type { CompiledRoute, MethodHandlers } from "./route_table.ts";
import { KNOWN_METHODS } from "./types.ts";
import type { FreshContext, KnownMethod } from "./types.ts";

/** The methods a route answers, in the order of KNOWN_METHODS. */
export function allowedMethods(route: CompiledRoute): KnownMethod[] {
  const handler = route.handler;
  if (typeof handler === "function") return [...KNOWN_METHODS];
  const methods = new Set(Object.keys(handler ?? {}));
  if (route.component) methods.add("GET");
  if (methods.has("GET")) methods.add("HEAD");
  return KNOWN_METHODS.filter((method) => methods.has(method));
}

export async function dispatch(
  req: Request,
  ctx: FreshContext<unknown, unknown>,
  route: CompiledRoute,
): Promise<Response> {
  const handler = route.handler;
  let response: Response;
  if (typeof handler === "function") {
    response = await handler(req, ctx);
  } else {
    const handlers: MethodHandlers = handler ?? {};
    const method = req.method === "HEAD" && !handlers.HEAD ? "GET" : req.method;
    const fn = (KNOWN_METHODS as readonly string[]).includes(method)
      ? handlers[method as KnownMethod]
      : undefined;
    if (fn) response = await fn(req, ctx);
    else if (method === "GET" && route.component) response = await ctx.render();
    else {return textResponse(405, "Method Not Allowed", {
        allow: allowedMethods(route).join(", "),
      });}
  }
  if (!(response instanceof Response)) {
    throw new Error(`${route.file}: the ${req.method} handler must return a Response`);
  }
  return response;
}
