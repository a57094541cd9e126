// The Redis adapter under an outage: pages must keep working, locks must refuse, and the adapter
// must come back by itself once Redis does.
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { openCache } from "./open.ts";
import { CacheUnavailable } from "./port.ts";
import { RedisCache } from "./redis.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", (line) => lines.push(JSON.parse(line)));
  return { log, lines, warnings: () => lines.filter((line) => line.level === "warn") };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function elapsed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

Deno.test("an unreachable Redis at start-up: one warning, then misses, refused locks, local buckets", async () => {
  const { log, warnings } = capture();
  const config = loadConfig({ REDIS_URL: `redis://:secret@127.0.0.1:${freePort()}` });
  const cache = await openCache(config, log, { maxReconnectDelayMs: 100 });
  try {
    assert.equal(cache.kind, "redis");
    assert.equal(warnings().length, 1);
    assert.match(String(warnings()[0].message), /Redis unreachable at start-up/);
    assert.doesNotMatch(JSON.stringify(warnings()), /secret/, "the URL's password is not logged");

    const read = await elapsed(() => cache.get("anything"));
    assert.equal(read.value, null);
    assert.ok(read.ms < 100, `a miss must be fast, took ${read.ms} ms`);
    await cache.set("k", "v", 1000);
    await cache.delete("k");
    await assert.rejects(() => cache.ping());
    await assert.rejects(() => cache.acquireLock("job:crawl", 1000), CacheUnavailable);

    const rule = { capacity: 2, refillPerSecond: 0.1 };
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push((await cache.takeToken("login", rule)).allowed);
    assert.deepEqual(decisions, [true, true, false], "rate limits still hold, per process");

    await sleep(400); // several reconnect attempts fail meanwhile
    assert.equal(warnings().length, 1, "one warning per outage, not one per attempt");
  } finally {
    await cache.close();
  }
});

const redisUrl = Deno.env.get("REDIS_URL");
if (!redisUrl) console.log("redis outage and recovery: skipped: REDIS_URL not set");

async function spawnRedis(port: number): Promise<Deno.ChildProcess> {
  const child = new Deno.Command("redis-server", {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  await eventually(
    async () => {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return true;
      } catch {
        return false;
      }
    },
    5_000,
    "redis-server to listen",
  );
  return child;
}

async function stop(child: Deno.ChildProcess) {
  child.kill("SIGKILL");
  await child.status;
}

Deno.test({
  name: "Redis going away and coming back: degraded meanwhile, recovered after",
  // Needs the redis-server binary; REDIS_URL marks environments (CI) that provide Redis.
  ignore: !redisUrl,
  async fn() {
    const port = freePort();
    let server = await spawnRedis(port);
    const { log, lines, warnings } = capture();
    const cache = new RedisCache({
      url: `redis://127.0.0.1:${port}`,
      log,
      prefix: `craveny-test:${crypto.randomUUID()}:`,
      maxReconnectDelayMs: 100,
    });
    try {
      assert.ok(await cache.ready(2_000));
      await cache.set("page", "<html>", 60_000);
      assert.equal(await cache.get("page"), "<html>");

      await stop(server);
      await eventually(
        () => Promise.resolve(!cache.healthy),
        2_000,
        "the adapter to notice the outage",
      );
      const read = await elapsed(() => cache.get("page"));
      assert.equal(read.value, null);
      assert.ok(read.ms < 100, `a miss must be fast, took ${read.ms} ms`);
      await cache.set("page", "<html>");
      await assert.rejects(() => cache.ping());
      await assert.rejects(() => cache.acquireLock("job:crawl", 1000), CacheUnavailable);
      assert.ok((await cache.takeToken("api", { capacity: 1, refillPerSecond: 1 })).allowed);
      await sleep(300);
      assert.equal(warnings().length, 1);
      assert.match(String(warnings()[0].message), /lost the connection/);

      server = await spawnRedis(port);
      await eventually(() => cache.ping().then(() => true, () => false), 5_000, "reconnection");
      assert.ok(cache.healthy);
      assert.ok(lines.some((line) => String(line.message).includes("Redis reachable again")));
      await cache.set("page", "<html v2>", 60_000);
      assert.equal(await cache.get("page"), "<html v2>");
      const lock = await cache.acquireLock("job:crawl", 1000);
      assert.ok(lock);
      assert.ok(await lock.release());
    } finally {
      await cache.close();
      await stop(server);
    }
  },
});
