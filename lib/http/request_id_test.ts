import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { requestId } from "./request_id.ts";

function app() {
  const hono = new Hono<AppEnv>();
  hono.use(requestId());
  hono.get("/", (c) => c.text(c.get("requestId")));
  hono.get("/raw", () => new Response("built by hand"));
  hono.get("/redirect", () => Response.redirect("http://x/elsewhere", 303));
  return hono;
}

Deno.test("a fresh id is generated, exposed to handlers and echoed", async () => {
  const response = await app().fetch(new Request("http://x/"));
  const id = response.headers.get("X-Request-Id");
  assert.match(id ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(await response.text(), id);
});

Deno.test("a sane incoming id is kept; an insane one is replaced", async () => {
  const hono = app();
  const sane = "a".repeat(64);
  const kept = await hono.fetch(new Request("http://x/", { headers: { "X-Request-Id": sane } }));
  assert.equal(kept.headers.get("X-Request-Id"), sane);
  for (const bad of ["a".repeat(65), "", "a b", "a/b", "ü", "{}"]) {
    const response = await hono.fetch(
      new Request("http://x/", { headers: { "X-Request-Id": bad } }),
    );
    assert.notEqual(response.headers.get("X-Request-Id"), bad);
    assert.equal(response.headers.get("X-Request-Id")?.length, 36);
  }
});

Deno.test("the header reaches hand-built and immutable (redirect) responses", async () => {
  const hono = app();
  const raw = await hono.fetch(new Request("http://x/raw"));
  assert.ok(raw.headers.get("X-Request-Id"));
  assert.equal(await raw.text(), "built by hand");
  const redirect = await hono.fetch(new Request("http://x/redirect"));
  assert.equal(redirect.status, 303);
  assert.equal(redirect.headers.get("Location"), "http://x/elsewhere");
  assert.ok(redirect.headers.get("X-Request-Id"));
});
