// Security headers on every response; a header a handler set itself (say, a page's own CSP) is
// left alone.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";
import { isHttps } from "./request_origin.ts";
import { setResponseHeaders } from "./response_headers.ts";

/**
 * Scripts only from this origin: island bundles are served from /static/_islands/ and island
 * props travel in a `type="application/json"` script tag, which is data, not script. Inline
 * styles stay allowed because the island markers (and chart components) use style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * HSTS: a year, subdomains included. Sent only on responses that travelled over TLS (browsers
 * ignore it on plain http, and a development server on http://localhost must stay reachable).
 */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

export interface SecurityHeadersOptions {
  contentSecurityPolicy?: string;
  /** Believe X-Forwarded-Proto (TRUST_PROXY): TLS ends at the proxy in front of Craveny. */
  trustProxy?: boolean;
}

export function securityHeaders(options: SecurityHeadersOptions = {}) {
  const headers: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    // frame-ancestors in the CSP is the modern form; X-Frame-Options covers older browsers.
    ["X-Frame-Options", "DENY"],
    ["Content-Security-Policy", options.contentSecurityPolicy ?? CONTENT_SECURITY_POLICY],
    ["Cross-Origin-Opener-Policy", "same-origin"],
  ];
  const overTls: [string, string][] = [
    ...headers,
    ["Strict-Transport-Security", STRICT_TRANSPORT_SECURITY],
  ];
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const tls = isHttps(c.req.raw, options.trustProxy ?? false);
    setResponseHeaders(c, tls ? overTls : headers, { keep: true });
  });
}
