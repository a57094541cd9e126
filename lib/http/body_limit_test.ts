import assert from "node:assert/strict";
import { Hono } from "hono";
import { createLogger } from "../log.ts";
import { bodyLimit } from "./body_limit.ts";
import type { AppEnv } from "./env.ts";
import { errorHandler } from "./error_handler.ts";

function app(limit: number) {
  const hono = new Hono<AppEnv>();
  hono.onError(errorHandler(createLogger("error", () => {})));
  hono.use(bodyLimit(limit));
  hono.post("/", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  hono.delete("/", (c) => c.json({ body: c.req.raw.body !== null }));
  return hono;
}

function stream(...parts: string[]): ReadableStream<Uint8Array> {
  return new Blob(parts).stream();
}

function post(body: BodyInit, headers: HeadersInit = {}) {
  return new Request("http://x/", { method: "POST", body, headers });
}

Deno.test("a body within the limit reaches the handler, declared or streamed", async () => {
  const hono = app(10);
  assert.deepEqual(await (await hono.fetch(post("0123456789"))).json(), { bytes: 10 });
  const streamed = await hono.fetch(post(stream("01234", "56789")));
  assert.deepEqual(await streamed.json(), { bytes: 10 });
});

Deno.test("a declared Content-Length over the limit is refused before reading", async () => {
  const response = await app(10).fetch(post("01234567890"));
  assert.equal(response.status, 413);
  assert.deepEqual(await response.json(), {
    error: { code: "payload_too_large", message: "Request body exceeds 10 bytes" },
  });
});

Deno.test("a streamed body is refused as soon as it passes the limit", async () => {
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(4));
    },
  });
  const response = await app(10).fetch(post(endless));
  assert.equal(response.status, 413);
  assert.ok(pulled <= 5, `stopped reading early (pulled ${pulled} chunks)`);
});

Deno.test("an empty streamed body leaves the request bodyless", async () => {
  const request = new Request("http://x/", { method: "DELETE", body: stream() });
  assert.deepEqual(await (await app(10).fetch(request)).json(), { body: false });
});
