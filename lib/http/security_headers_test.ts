import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import {
  CONTENT_SECURITY_POLICY,
  securityHeaders,
  STRICT_TRANSPORT_SECURITY,
} from "./security_headers.ts";

function app(options: { trustProxy?: boolean } = {}) {
  const hono = new Hono<AppEnv>();
  hono.use(securityHeaders(options));
  hono.get("/", (c) => c.html("<p>hi</p>"));
  hono.get(
    "/own-csp",
    () => new Response("x", { headers: { "Content-Security-Policy": "default-src 'none'" } }),
  );
  hono.get("/redirect", () => Response.redirect("http://x/", 302));
  return hono;
}

Deno.test("every response gets the security headers", async () => {
  for (const path of ["/", "/redirect"]) {
    const response = await app().fetch(new Request(`http://x${path}`));
    assert.equal(response.headers.get("X-Content-Type-Options"), "nosniff");
    assert.equal(response.headers.get("X-Frame-Options"), "DENY");
    assert.equal(response.headers.get("Referrer-Policy"), "strict-origin-when-cross-origin");
    assert.equal(response.headers.get("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
  }
});

Deno.test("the policy allows scripts from this origin only and no framing", () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]),
  );
  assert.deepEqual(directives.get("script-src"), ["'self'"]);
  assert.deepEqual(directives.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(directives.get("object-src"), ["'none'"]);
});

Deno.test("a header the handler set itself is kept", async () => {
  const response = await app().fetch(new Request("http://x/own-csp"));
  assert.equal(response.headers.get("Content-Security-Policy"), "default-src 'none'");
  assert.equal(response.headers.get("X-Frame-Options"), "DENY");
});

Deno.test("HSTS only on responses that travelled over TLS", async () => {
  const hsts = async (url: string, trustProxy: boolean, headers: Record<string, string> = {}) =>
    (await app({ trustProxy }).fetch(new Request(url, { headers }))).headers
      .get("Strict-Transport-Security");
  assert.equal(await hsts("https://craveny.example/", false), STRICT_TRANSPORT_SECURITY);
  assert.equal(STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
  assert.equal(await hsts("http://localhost/", false), null);
  const proxied = { "X-Forwarded-Proto": "https" };
  assert.equal(await hsts("http://10.0.0.2/", true, proxied), STRICT_TRANSPORT_SECURITY);
  assert.equal(await hsts("http://10.0.0.2/", false, proxied), null, "a client can forge it");
  assert.equal(await hsts("http://10.0.0.2/", true, { "X-Forwarded-Proto": "http" }), null);
});
