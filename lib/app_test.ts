// The composed app over real HTTP: middleware order, error shapes, limits, /health, /metrics.
import assert from "node:assert/strict";
import { openTestDatabase } from "../tests/support/database.ts";
import { plainPages, startTestApp, type TestApp } from "../tests/support/app.ts";
import type { PageHandler } from "./app.ts";
import { RedisCache } from "./cache/redis.ts";
import { loadConfig } from "./config.ts";
import { BadRequest, Forbidden, NotFound, Unauthorized } from "./http/errors.ts";
import { readJson } from "./http/json_body.ts";
import { createLogger } from "./log.ts";

const LIMIT = 1024;

type LogLine = Record<string, unknown>;

function parsed(app: TestApp): LogLine[] {
  return app.logs.map((line) => JSON.parse(line));
}

function accessLine(app: TestApp, requestId: string): LogLine | undefined {
  return parsed(app).find((line) => line.message === "request" && line.requestId === requestId);
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

const pages: PageHandler = {
  handle: plainPages.handle,
  serveStatic: (req) =>
    Promise.resolve(
      new URL(req.url).pathname === "/static/app.css"
        ? new Response("body{}", { headers: { "Content-Type": "text/css" } })
        : null,
    ),
  buildId: "test",
};

function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('"' + "x".repeat(254) + '",');
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

Deno.test("http app", async (t) => {
  const app = await startTestApp({
    pages,
    app: { config: loadConfig({ BODY_LIMIT_BYTES: String(LIMIT) }) },
    extend(hono) {
      hono.post("/api/test/echo", async (c) => c.json({ received: await readJson(c) }));
      hono.get("/api/test/boom", () => {
        throw new Error("connection to 10.0.0.7 failed: password=hunter2");
      });
      hono.get("/api/test/not-found", () => {
        throw new NotFound("No stock AAPL");
      });
      hono.get("/api/test/unauthorized", () => {
        throw new Unauthorized();
      });
      hono.get("/api/test/forbidden", () => {
        throw new Forbidden();
      });
      hono.get("/api/test/bad", () => {
        throw new BadRequest("Invalid horizon", { field: "horizon" });
      });
      hono.get("/api/test/items/:id", (c) => c.json({ id: c.req.param("id") }));
      hono.get("/go", () => Response.redirect("http://127.0.0.1/elsewhere", 302));
    },
  });

  try {
    await t.step("every response carries a request id that the access log repeats", async () => {
      const response = await fetch(`${app.url}/stocks?token=secret`);
      assert.equal(response.status, 200);
      const id = response.headers.get("X-Request-Id");
      assert.match(id ?? "", /^[0-9a-f-]{36}$/);
      assert.ok((await response.text()).includes(id ?? "-"), "pages receive it in state");
      const line = accessLine(app, id ?? "");
      assert.ok(line, "an access log line with the same request id");
      assert.equal(line.level, "info");
      assert.equal(line.method, "GET");
      assert.equal(line.path, "/stocks", "no query string in the log");
      assert.equal(line.status, 200);
      assert.equal(typeof line.ms, "number");
      assert.equal(typeof line.time, "string");
    });

    await t.step("a sane incoming X-Request-Id is kept, anything else replaced", async () => {
      const kept = await fetch(`${app.url}/api`, { headers: { "X-Request-Id": "edge-42_a" } });
      await kept.body?.cancel();
      assert.equal(kept.headers.get("X-Request-Id"), "edge-42_a");
      for (const bad of ["x".repeat(65), "has space", 'quote"', "new\\nline"]) {
        const replaced = await fetch(`${app.url}/api`, { headers: { "X-Request-Id": bad } });
        await replaced.body?.cancel();
        const id = replaced.headers.get("X-Request-Id");
        assert.notEqual(id, bad);
        assert.match(id ?? "", /^[0-9a-f-]{36}$/);
      }
    });

    await t.step("GET /api describes the API", async () => {
      const response = await fetch(`${app.url}/api`);
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.version, "1");
      assert.ok(Array.isArray(body.sections));
    });

    await t.step("an unknown /api route is a JSON 404, whatever the method", async () => {
      for (const method of ["GET", "POST", "DELETE"]) {
        const response = await fetch(`${app.url}/api/nope/deeper`, { method });
        assert.equal(response.status, 404);
        assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
        const body = await response.json();
        assert.equal(body.error.code, "not_found");
        assert.equal(typeof body.error.message, "string");
      }
    });

    await t.step(
      "readJson: JSON in, 400 invalid_json for malformed or mistyped bodies",
      async () => {
        const post = (body: string, type = "application/json") =>
          fetch(`${app.url}/api/test/echo`, {
            method: "POST",
            headers: { "Content-Type": type },
            body,
          });
        const ok = await post('{"symbol":"AAPL"}', "application/json; charset=utf-8");
        assert.equal(ok.status, 200);
        assert.deepEqual(await ok.json(), { received: { symbol: "AAPL" } });
        for (
          const [body, type] of [
            ['{"symbol":', "application/json"],
            ["", "application/json"],
            ['{"symbol":"AAPL"}', "text/plain"],
          ]
        ) {
          const response = await post(body, type);
          assert.equal(response.status, 400, `${type} ${body}`);
          const error = (await response.json()).error;
          assert.equal(error.code, "invalid_json");
          assert.equal(typeof error.message, "string");
        }
      },
    );

    await t.step("a body over the limit is refused with 413 (Content-Length)", async () => {
      const response = await fetch(`${app.url}/api/test/echo`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: "x".repeat(LIMIT) }),
      });
      assert.equal(response.status, 413);
      assert.equal((await response.json()).error.code, "payload_too_large");
    });

    await t.step("a body over the limit is refused with 413 (chunked, no length)", async () => {
      const response = await fetch(`${app.url}/api/test/echo`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: chunked(LIMIT * 4),
      });
      assert.equal(response.status, 413);
      assert.equal((await response.json()).error.code, "payload_too_large");
      const small = await fetch(`${app.url}/api/test/echo`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: new Blob(['{"chunked":', "true}"]).stream(),
      });
      assert.equal(small.status, 200);
      assert.deepEqual(await small.json(), { received: { chunked: true } });
    });

    await t.step("an unexpected error is a bare 500; its cause goes to the log only", async () => {
      const response = await fetch(`${app.url}/api/test/boom`);
      assert.equal(response.status, 500);
      const text = await response.text();
      assert.deepEqual(JSON.parse(text), {
        error: { code: "internal", message: "Internal server error" },
      });
      const id = response.headers.get("X-Request-Id");
      const logged = parsed(app).find((line) => line.level === "error" && line.requestId === id);
      assert.ok(logged, "the error is logged with the request id");
      assert.match(String(logged.error), /hunter2/);
      assert.equal(accessLine(app, id ?? "")?.status, 500);
    });

    await t.step("HttpError subclasses keep their status, code and details", async () => {
      const cases = [
        ["/api/test/not-found", 404, "not_found", "No stock AAPL"],
        ["/api/test/unauthorized", 401, "unauthorized", "Sign in required"],
        ["/api/test/forbidden", 403, "forbidden", "Not allowed"],
        ["/api/test/bad", 400, "bad_request", "Invalid horizon"],
      ] as const;
      for (const [path, status, code, message] of cases) {
        const response = await fetch(app.url + path);
        assert.equal(response.status, status);
        const body = await response.json();
        assert.equal(body.error.code, code);
        assert.equal(body.error.message, message);
        if (code === "bad_request") assert.deepEqual(body.error.details, { field: "horizon" });
        else assert.equal("details" in body.error, false);
      }
    });

    await t.step("security headers on pages, API answers, errors and redirects", async () => {
      for (const path of ["/", "/api", "/api/nope", "/api/test/boom", "/go"]) {
        const response = await fetch(app.url + path, { redirect: "manual" });
        await response.body?.cancel();
        const headers = response.headers;
        assert.equal(headers.get("X-Content-Type-Options"), "nosniff", path);
        assert.equal(headers.get("X-Frame-Options"), "DENY", path);
        assert.ok(headers.get("Referrer-Policy"), path);
        const csp = headers.get("Content-Security-Policy") ?? "";
        assert.match(csp, /script-src 'self'(;|$)/, path);
        assert.match(csp, /frame-ancestors 'none'/, path);
        assert.ok(headers.get("X-Request-Id"), path);
      }
    });

    await t.step("/static/ is served by the page runtime; a missing file is 404", async () => {
      const found = await fetch(`${app.url}/static/app.css`);
      assert.equal(found.status, 200);
      assert.equal(await found.text(), "body{}");
      const missing = await fetch(`${app.url}/static/missing.js`);
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    });

    await t.step("/health reports each dependency and is ok while all are up", async () => {
      const response = await fetch(`${app.url}/health`);
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.status, "ok");
      assert.equal(body.checks.database.status, "up");
      assert.equal(body.checks.database.required, true);
      assert.equal(body.checks.cache.status, "up");
      assert.equal(body.checks.cache.kind, "memory");
      assert.equal(body.checks.vectors.kind, "embedded");
      assert.equal(body.checks.embedder.kind, "offline");
      assert.deepEqual(body.checks.llm.keys, { openai: false, openrouter: false });
    });

    await t.step("/metrics counts requests by route pattern and times them", async () => {
      for (const id of ["1", "2", "3"]) {
        await (await fetch(`${app.url}/api/test/items/${id}`)).body?.cancel();
      }
      const response = await fetch(`${app.url}/metrics`);
      assert.equal(response.status, 200);
      assert.equal(
        response.headers.get("Content-Type"),
        "text/plain; version=0.0.4; charset=utf-8",
      );
      const text = await response.text();
      assert.match(text, /^# TYPE http_requests_total counter$/m);
      assert.match(
        text,
        /^http_requests_total\{method="GET",route="\/api\/test\/items\/:id",status="200"\} 3$/m,
      );
      assert.doesNotMatch(text, /items\/1/, "raw paths never become labels");
      assert.match(
        text,
        /^http_requests_total\{method="GET",route="\/api\/\*",status="404"\} \d+$/m,
      );
      assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
      assert.match(
        text,
        /^http_request_duration_seconds_bucket\{method="GET",route="\/api\/test\/items\/:id",le="\+Inf"\} 3$/m,
      );
      assert.match(
        text,
        /^http_request_duration_seconds_count\{method="GET",route="\/api\/test\/items\/:id"\} 3$/m,
      );
    });

    await t.step("/health is degraded but 200 when the cache is down", async () => {
      const cache = new RedisCache({
        url: `redis://127.0.0.1:${freePort()}`,
        log: createLogger("error", () => {}),
        maxReconnectDelayMs: 100,
      });
      await cache.ready(1_000);
      const degraded = await startTestApp({ app: { db: app.context.db, cache } });
      try {
        const response = await fetch(`${degraded.url}/health`);
        assert.equal(response.status, 200);
        const body = await response.json();
        assert.equal(body.status, "degraded");
        assert.equal(body.checks.cache.status, "down");
        assert.equal(body.checks.cache.kind, "redis");
        assert.equal(body.checks.database.status, "up");
        const page = await fetch(`${degraded.url}/`);
        assert.equal(page.status, 200, "pages keep working without the cache");
        await page.body?.cancel();
      } finally {
        await degraded.close();
        await cache.close();
      }
    });
  } finally {
    await app.close();
  }
});

Deno.test("/health is 503 when the database is down", async () => {
  const db = await openTestDatabase({ migrate: false });
  const app = await startTestApp({ app: { db } });
  try {
    await db.close();
    const response = await fetch(`${app.url}/health`);
    assert.equal(response.status, 503);
    const body = await response.json();
    assert.equal(body.status, "down");
    assert.equal(body.checks.database.status, "down");
    assert.equal(body.checks.database.required, true);
    assert.equal(typeof body.checks.database.error, "string");
  } finally {
    await app.close();
    await db.dispose();
  }
});
