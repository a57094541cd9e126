import assert from "node:assert/strict";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { createLogger } from "../log.ts";
import type { AppEnv } from "./env.ts";
import { errorHandler } from "./error_handler.ts";
import { HttpError, NotFound } from "./errors.ts";

function app(lines: Record<string, unknown>[]) {
  const hono = new Hono<AppEnv>();
  hono.use(async (c, next) => {
    c.set("requestId", "req-1");
    await next();
  });
  hono.onError(errorHandler(createLogger("debug", (line) => lines.push(JSON.parse(line)))));
  hono.get("/not-found", () => {
    throw new NotFound("No such stock");
  });
  hono.get("/conflict", () => {
    throw new HttpError(409, "conflict", "Already exists", { id: 7 });
  });
  hono.get("/unavailable", () => {
    throw new HttpError(503, "unavailable", "Try later");
  });
  hono.get("/hono", () => {
    throw new HTTPException(401, { message: "Bad token" });
  });
  hono.get("/bug", () => {
    throw new TypeError("cannot read properties of undefined (reading 'secret')");
  });
  return hono;
}

async function get(hono: Hono<AppEnv>, path: string) {
  const response = await hono.fetch(new Request(`http://x${path}`));
  assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
  return { status: response.status, body: await response.json() };
}

Deno.test("HttpErrors keep their status, code, message and details; 4xx are not logged", async () => {
  const lines: Record<string, unknown>[] = [];
  const hono = app(lines);
  assert.deepEqual(await get(hono, "/not-found"), {
    status: 404,
    body: { error: { code: "not_found", message: "No such stock" } },
  });
  assert.deepEqual(await get(hono, "/conflict"), {
    status: 409,
    body: { error: { code: "conflict", message: "Already exists", details: { id: 7 } } },
  });
  assert.equal(lines.length, 0);
  assert.equal((await get(hono, "/unavailable")).status, 503);
  assert.equal(lines.length, 1, "a 5xx HttpError is logged");
});

Deno.test("Hono's own HTTPException maps to the same error shape", async () => {
  assert.deepEqual(await get(app([]), "/hono"), {
    status: 401,
    body: { error: { code: "unauthorized", message: "Bad token" } },
  });
});

Deno.test("any other error is a generic 500, logged with the request id", async () => {
  const lines: Record<string, unknown>[] = [];
  assert.deepEqual(await get(app(lines), "/bug"), {
    status: 500,
    body: { error: { code: "internal", message: "Internal server error" } },
  });
  assert.equal(lines.length, 1);
  assert.equal(lines[0].level, "error");
  assert.equal(lines[0].requestId, "req-1");
  assert.equal(lines[0].path, "/bug");
  assert.match(String(lines[0].error), /reading 'secret'/);
});
