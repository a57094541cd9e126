// Security headers on every response; a header a handler set itself (say, a page's own CSP) is
// left alone.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";
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

export interface SecurityHeadersOptions {
  contentSecurityPolicy?: string;
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
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    setResponseHeaders(c, headers, { keep: true });
  });
}
