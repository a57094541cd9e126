import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { CONTENT_SECURITY_POLICY, securityHeaders } from "./security_headers.ts";

function app() {
  const hono = new Hono<AppEnv>();
  hono.use(securityHeaders());
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
