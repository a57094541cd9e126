// The one place errors become responses (Hono's app.onError): an HttpError keeps its status and
// code; anything else is a 500 whose body says nothing about the cause. The cause goes to the
// log, tagged with the request id the client sees in X-Request-Id.
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "../log.ts";
import type { AppEnv } from "./env.ts";
import { errorBody, HttpError } from "./errors.ts";

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  408: "request_timeout",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "too_many_requests",
};

function isErrorStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 400 && status <= 599;
}

export function errorHandler(log: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    const context = { requestId: c.get("requestId"), method: c.req.method, path: c.req.path };
    if (error instanceof HttpError && isErrorStatus(error.status)) {
      if (error.status >= 500) log.error("request failed", { ...context, error: error.message });
      return Response.json(errorBody(error.code, error.message, error.details), {
        status: error.status,
        headers: error.headers,
      });
    }
    // Raised by Hono itself (and by its helpers) for client mistakes.
    if (error instanceof HTTPException && error.status < 500) {
      const code = CODES[error.status] ?? "bad_request";
      return Response.json(errorBody(code, error.message || code), { status: error.status });
    }
    log.error("unhandled error", { ...context, error: error.message, stack: error.stack });
    return Response.json(errorBody("internal", "Internal server error"), { status: 500 });
  };
}
