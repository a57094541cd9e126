// One JSON log line per request, written when the response is ready. Every other line logged
// while the request is handled carries its request id too.
import { createMiddleware } from "hono/factory";
import { type Logger, withLogContext } from "../log.ts";
import type { AppEnv } from "./env.ts";

export function accessLog(log: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await withLogContext({ requestId: c.get("requestId") }, next);
    log.info("request", {
      method: c.req.method,
      // The path without its query string: queries may carry tokens.
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      requestId: c.get("requestId"),
    });
  });
}
