// Domain code throws these; one place (lib/http/error_handler.ts) maps them to responses.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export class BadRequest extends HttpError {
  constructor(message = "Bad request", details?: unknown) {
    super(400, "bad_request", message, details);
  }
}

export class Unauthorized extends HttpError {
  constructor(message = "Sign in required") {
    super(401, "unauthorized", message);
  }
}

export class Forbidden extends HttpError {
  constructor(message = "Not allowed") {
    super(403, "forbidden", message);
  }
}

export class NotFound extends HttpError {
  constructor(message = "Not found") {
    super(404, "not_found", message);
  }
}

export class Conflict extends HttpError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(limitBytes: number) {
    super(413, "payload_too_large", `Request body exceeds ${limitBytes} bytes`);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
