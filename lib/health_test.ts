import assert from "node:assert/strict";
import { checkHealth, type HealthCheck, healthChecks, healthStatusCode } from "./health.ts";
import { loadConfig } from "./config.ts";
import type { Database } from "./db/port.ts";
import { createEmbedder } from "./embed/open.ts";
import { createLogger } from "./log.ts";
import { openTestContext } from "../tests/support/context.ts";

const up = () => Promise.resolve();
const down = () => Promise.reject(new Error("connect ECONNREFUSED 10.1.2.3:5432"));

Deno.test("all up is ok (200)", async () => {
  const report = await checkHealth([
    { name: "database", required: true, kind: "postgres", probe: up },
    { name: "cache", required: false, kind: "memory", probe: up },
  ]);
  assert.equal(report.status, "ok");
  assert.equal(healthStatusCode(report), 200);
  assert.equal(report.checks.database.status, "up");
  assert.equal(typeof report.checks.database.latencyMs, "number");
});

Deno.test("an optional dependency down is degraded (200), a required one down (503)", async () => {
  const degraded = await checkHealth([
    { name: "database", required: true, kind: "postgres", probe: up },
    { name: "cache", required: false, kind: "redis", probe: down },
  ]);
  assert.equal(degraded.status, "degraded");
  assert.equal(healthStatusCode(degraded), 200);
  assert.equal(degraded.checks.cache.error, "unreachable", "no hostnames on a public endpoint");

  const broken = await checkHealth([
    { name: "database", required: true, kind: "postgres", probe: down },
    { name: "cache", required: false, kind: "redis", probe: up },
  ]);
  assert.equal(broken.status, "down");
  assert.equal(healthStatusCode(broken), 503);
});

Deno.test("a probe that hangs is down after the timeout; one that throws is down too", async () => {
  let release = () => {};
  const hanging: HealthCheck = {
    name: "database",
    required: true,
    kind: "postgres",
    probe: () => new Promise<void>((resolve) => release = resolve),
  };
  const throwing: HealthCheck = {
    name: "cache",
    required: false,
    kind: "redis",
    probe: () => {
      throw new Error("sync");
    },
  };
  const started = performance.now();
  const report = await checkHealth([hanging, throwing], 50);
  release();
  assert.ok(performance.now() - started < 1_000);
  assert.equal(report.checks.database.status, "down");
  assert.equal(report.checks.database.error, "no answer within 50 ms");
  assert.equal(report.checks.cache.status, "down");
});

Deno.test("the app's checks probe the vector store and report keys, never key values", async () => {
  const db: Database = {
    kind: "postgres",
    sql: undefined as never,
    ping: up,
    close: up,
  };
  const openaiApiKey = "sk-test-0123456789abcdefghij";
  const config = loadConfig({ OPENAI_API_KEY: openaiApiKey });
  const log = createLogger("error", () => {});
  await using app = await openTestContext({
    config,
    db,
    embedder: createEmbedder(config, log),
    log,
  });
  const report = await checkHealth(healthChecks(app));
  assert.equal(report.checks.embedder.kind, "openai");
  assert.equal(report.checks.embedder.status, "configured", "no tokens spent on /health");
  assert.equal(report.checks.embedder.detail, "openai:text-embedding-3-small:1536");
  assert.deepEqual(report.checks.llm.keys, { openai: true, openrouter: false });
  assert.equal(report.checks.vectors.kind, "embedded");
  assert.equal(report.checks.vectors.status, "up");
  assert.equal(report.status, "ok");
  assert.doesNotMatch(JSON.stringify(report), /sk-test/);

  await app.vectors.close();
  const closed = await checkHealth(healthChecks(app));
  assert.equal(closed.checks.vectors.status, "down");
  assert.equal(closed.status, "degraded", "search is optional: the app keeps serving");
  assert.equal(healthStatusCode(closed), 200);
});
