import assert from "node:assert/strict";
import { Hono } from "hono";
import { createLogger } from "../log.ts";
import { accessLog } from "./access_log.ts";
import type { AppEnv } from "./env.ts";

Deno.test("one JSON line per request with method, path, status, ms and request id", async () => {
  const lines: string[] = [];
  const hono = new Hono<AppEnv>();
  hono.use(async (c, next) => {
    c.set("requestId", "req-9");
    await next();
  });
  hono.use(accessLog(createLogger("info", (line) => lines.push(line))));
  hono.post("/api/login", (c) => c.json({ ok: false }, 401));

  await hono.fetch(new Request("http://x/api/login?password=hunter2", { method: "POST" }));
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0]);
  assert.equal(line.message, "request");
  assert.equal(line.method, "POST");
  assert.equal(line.path, "/api/login");
  assert.equal(line.status, 401);
  assert.equal(line.requestId, "req-9");
  assert.equal(typeof line.ms, "number");
  assert.ok(line.ms >= 0);
  assert.doesNotMatch(lines[0], /hunter2/);
});
