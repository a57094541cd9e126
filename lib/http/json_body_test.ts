import assert from "node:assert/strict";
import { Hono } from "hono";
import { createLogger } from "../log.ts";
import { bodyLimit } from "./body_limit.ts";
import type { AppEnv } from "./env.ts";
import { errorHandler } from "./error_handler.ts";
import { readJson } from "./json_body.ts";

function app(limit?: number) {
  const hono = new Hono<AppEnv>();
  hono.onError(errorHandler(createLogger("error", () => {})));
  if (limit !== undefined) hono.use(bodyLimit(limit));
  hono.post("/", async (c) => c.json({ received: await readJson(c) }));
  return hono;
}

async function send(hono: Hono<AppEnv>, body: BodyInit | null, type?: string) {
  const headers = type === undefined ? undefined : { "Content-Type": type };
  const response = await hono.fetch(new Request("http://x/", { method: "POST", body, headers }));
  return { status: response.status, body: await response.json() };
}

Deno.test("JSON bodies parse, with any JSON media type and parameters", async () => {
  const hono = app();
  for (
    const type of [
      "application/json",
      "Application/JSON; charset=utf-8",
      "application/vnd.api+json",
    ]
  ) {
    assert.deepEqual(await send(hono, '{"a":[1,null]}', type), {
      status: 200,
      body: { received: { a: [1, null] } },
    });
  }
  assert.deepEqual((await send(hono, "42", "application/json")).body, { received: 42 });
});

Deno.test("malformed, empty, mistyped or non-UTF-8 bodies are 400 invalid_json", async () => {
  const hono = app();
  const cases: [BodyInit | null, string | undefined][] = [
    ['{"a":', "application/json"],
    ["{'a':1}", "application/json"],
    ["", "application/json"],
    ["  \n", "application/json"],
    [null, "application/json"],
    ['{"a":1}', "text/plain"],
    ['{"a":1}', undefined],
    ['{"a":1}', "application/jsonp"],
    [new Uint8Array([0x22, 0xff, 0x22]), "application/json"],
  ];
  for (const [body, type] of cases) {
    const { status, body: answer } = await send(hono, body, type);
    assert.equal(status, 400, `${type} ${String(body)}`);
    assert.equal(answer.error.code, "invalid_json");
  }
});

Deno.test("a body over the route's limit is 413, also without the middleware's early check", async () => {
  const big = JSON.stringify({ text: "x".repeat(2_000) });
  assert.equal((await send(app(1_024), big, "application/json")).status, 413);
  const streamed = new Blob([big]).stream();
  assert.equal((await send(app(1_024), streamed, "application/json")).status, 413);
  assert.equal((await send(app(), big, "application/json")).status, 200, "default limit is 1 MiB");
});
