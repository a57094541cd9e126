import assert from "node:assert/strict";
import { Hono } from "hono";
import { Registry } from "../metrics.ts";
import type { AppEnv } from "./env.ts";
import { requestMetrics } from "./request_metrics.ts";

Deno.test("requests are counted by method, route pattern and status, and timed", async () => {
  const registry = new Registry();
  const hono = new Hono<AppEnv>();
  hono.use(requestMetrics(registry));
  const stocks = new Hono<AppEnv>();
  stocks.get("/:symbol", (c) => c.json({ symbol: c.req.param("symbol") }));
  hono.route("/api/stocks", stocks);
  hono.all("*", (c) => c.text("page", 404));

  for (const symbol of ["AAPL", "MSFT"]) {
    await hono.fetch(new Request(`http://x/api/stocks/${symbol}`));
  }
  await hono.fetch(new Request("http://x/anything/else", { method: "PURGE" }));

  const text = registry.metrics();
  assert.match(
    text,
    /^http_requests_total\{method="GET",route="\/api\/stocks\/:symbol",status="200"\} 2$/m,
  );
  assert.match(text, /^http_requests_total\{method="OTHER",route="\/\*",status="404"\} 1$/m);
  assert.doesNotMatch(text, /AAPL|anything/);
  assert.match(
    text,
    /^http_request_duration_seconds_count\{method="GET",route="\/api\/stocks\/:symbol"\} 2$/m,
  );
});
