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

Deno.test("lines logged while a request is handled carry its id, whatever logger wrote them", async () => {
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  // A logger the handler's domain code holds, never told about requests.
  const domainLog = createLogger("info", sink);
  const hono = new Hono<AppEnv>();
  hono.use(async (c, next) => {
    c.set("requestId", c.req.header("X-Request-Id")!);
    await next();
  });
  hono.use(accessLog(createLogger("info", sink)));
  hono.get("/work", async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    domainLog.info("doing the work");
    return c.text("done");
  });
  await Promise.all(
    ["req-a", "req-b"].map((id) =>
      hono.fetch(new Request("http://x/work", { headers: { "X-Request-Id": id } }))
    ),
  );
  const work = lines.map((line) => JSON.parse(line)).filter((l) => l.message === "doing the work");
  assert.deepEqual(work.map((l) => l.requestId).sort(), ["req-a", "req-b"]);
  domainLog.info("outside any request");
  assert.equal(JSON.parse(lines.at(-1)!).requestId, undefined);
});
