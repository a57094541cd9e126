// Request counts and latency for /metrics. Labels use the matched route pattern
// ("/api/stocks/:symbol"), never the raw path, so the number of series stays bounded.
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { Registry } from "../metrics.ts";
import type { AppEnv } from "./env.ts";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function requestMetrics(registry: Registry) {
  const requests = registry.counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method, matched route and status.",
    labelNames: ["method", "route", "status"],
  });
  const duration = registry.histogram({
    name: "http_request_duration_seconds",
    help: "Time from receiving a request to having its response, by method and matched route.",
    labelNames: ["method", "route"],
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    // Clients choose the method string: anything unusual shares one label value.
    const method = METHODS.has(c.req.method) ? c.req.method : "OTHER";
    // After next() the route index points at the handler (or middleware) that answered.
    const route = routePath(c) || "unmatched";
    requests.inc({ method, route, status: c.res.status });
    duration.observe({ method, route }, (performance.now() - started) / 1000);
  });
}
