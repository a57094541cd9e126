// Domain code throws these; one place (lib/http/error_handler.ts) maps them to responses.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to the error (WWW-Authenticate, Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
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

/** The challenge every 401 carries (RFC 9110): this API takes bearer tokens. */
export const BEARER_CHALLENGE = 'Bearer realm="craveny"';
/** The challenge when a token was presented but refused (RFC 6750). */
export const INVALID_TOKEN_CHALLENGE = `${BEARER_CHALLENGE}, error="invalid_token"`;

export class Unauthorized extends HttpError {
  constructor(message = "Sign in required", challenge = BEARER_CHALLENGE, code = "unauthorized") {
    super(401, code, message, undefined, { "WWW-Authenticate": challenge });
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

export class TooManyRequests extends HttpError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, "too_many_requests", message, { retryAfterSeconds }, {
      "Retry-After": String(retryAfterSeconds),
    });
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
