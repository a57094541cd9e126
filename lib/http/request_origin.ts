// What a request says about how the client reached us: over TLS or not, from which address. The
// forwarded headers count only with TRUST_PROXY=true: without a proxy a client could forge them.
import type { Context } from "hono";

/** Whether the client's connection is HTTPS (directly, or at the trusted proxy). */
export function isHttps(req: Request, trustProxy: boolean): boolean {
  if (new URL(req.url).protocol === "https:") return true;
  // The first value is what the outermost proxy saw.
  const forwarded = req.headers.get("X-Forwarded-Proto")?.split(",")[0].trim().toLowerCase();
  return trustProxy && forwarded === "https";
}

/** localhost, 127.0.0.0/8 and [::1]: a developer's own machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === "[::1]";
}

/**
 * The client's address: behind a trusted proxy the last X-Forwarded-For entry (the one the proxy
 * appended itself; earlier ones come from the client), else the socket's peer. "unknown" when
 * there is neither (in-process requests in tests).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header("X-Forwarded-For")?.split(",").map((hop) => hop.trim()) ?? [];
    const last = hops.at(-1);
    if (last) return last;
  }
  // Deno.serve hands Hono its ServeHandlerInfo as the env; app.fetch(request) alone has none.
  const info: Partial<Deno.ServeHandlerInfo<Deno.NetAddr>> | undefined = c.env;
  return info?.remoteAddr?.hostname ?? "unknown";
}
