// One behavioural contract for every Cache adapter: memory always, Redis when REDIS_URL is set.
import assert from "node:assert/strict";
import { openTestRedisCache } from "../../tests/support/cache.ts";
import { MemoryCache } from "./memory.ts";
import type { Cache } from "./port.ts";

interface Subject {
  cache: Cache;
  /** Lets `ms` pass: a fake clock for memory, a real sleep for Redis. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

interface Adapter {
  name: string;
  ignore: boolean;
  open(): Promise<Subject>;
}

const redisUrl = Deno.env.get("REDIS_URL");
if (!redisUrl) console.log("cache contract (redis): skipped: REDIS_URL not set");

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const adapters: Adapter[] = [
  {
    name: "memory",
    ignore: false,
    open() {
      let now = 1_700_000_000_000;
      const cache = new MemoryCache({ now: () => now });
      return Promise.resolve({
        cache,
        advance: (ms) => {
          now += ms;
          return Promise.resolve();
        },
        close: () => cache.close(),
      });
    },
  },
  {
    name: "redis",
    ignore: !redisUrl,
    async open() {
      // A fresh key namespace per test: tests run in parallel against one shared Redis.
      const cache = await openTestRedisCache(redisUrl ?? "");
      return { cache, advance: sleep, close: () => cache.close() };
    },
  },
];

function contract(name: string, fn: (subject: Subject) => Promise<void>) {
  for (const adapter of adapters) {
    Deno.test({
      name: `cache contract (${adapter.name}): ${name}`,
      ignore: adapter.ignore,
      async fn() {
        const subject = await adapter.open();
        try {
          await fn(subject);
        } finally {
          await subject.close();
        }
      },
    });
  }
}

contract("get returns what set stored, null for a missing key", async ({ cache }) => {
  assert.equal(await cache.get("missing"), null);
  await cache.set("greeting", "hello");
  assert.equal(await cache.get("greeting"), "hello");
  await cache.set("greeting", "hello again");
  assert.equal(await cache.get("greeting"), "hello again");
  await cache.set("unicode", "naïve ✓ \n \u2028");
  assert.equal(await cache.get("unicode"), "naïve ✓ \n \u2028");
});

contract("a value expires after its TTL", async ({ cache, advance }) => {
  await cache.set("short", "v", 50);
  await cache.set("long", "v", 60_000);
  await cache.set("forever", "v");
  assert.equal(await cache.get("short"), "v");
  await advance(120);
  assert.equal(await cache.get("short"), null);
  assert.equal(await cache.get("long"), "v");
  assert.equal(await cache.get("forever"), "v");
});

contract("delete removes a key; deleting a missing key is fine", async ({ cache }) => {
  await cache.set("doomed", "v");
  await cache.delete("doomed");
  assert.equal(await cache.get("doomed"), null);
  await cache.delete("never-set");
});

contract("invalid TTLs are rejected", async ({ cache }) => {
  await assert.rejects(() => cache.set("k", "v", 0), RangeError);
  await assert.rejects(() => cache.acquireLock("job", -1), RangeError);
  await assert.rejects(() => cache.takeToken("b", { capacity: 0, refillPerSecond: 1 }), RangeError);
  await assert.rejects(() => cache.takeToken("b", { capacity: 1, refillPerSecond: 0 }), RangeError);
});

contract("a lock is exclusive until its owner releases it", async ({ cache }) => {
  const first = await cache.acquireLock("crawl", 60_000);
  assert.ok(first, "first acquisition succeeds");
  assert.equal(first.name, "crawl");
  assert.equal(await cache.acquireLock("crawl", 60_000), null);
  const other = await cache.acquireLock("embed", 60_000);
  assert.ok(other, "a different lock name is independent");
  assert.ok(await first.release());
  assert.equal(await first.release(), false, "a second release finds nothing to release");
  const second = await cache.acquireLock("crawl", 60_000);
  assert.ok(second, "free again after release");
  assert.ok(second.token !== first.token, "every acquisition gets a new token");
  await second.release();
  await other.release();
});

contract("a lock expires, and a stale owner can't release the new owner's lock", async (
  { cache, advance },
) => {
  const stale = await cache.acquireLock("predict", 50);
  assert.ok(stale);
  await advance(120);
  const current = await cache.acquireLock("predict", 60_000);
  assert.ok(current, "taken over after expiry");
  assert.equal(await stale.release(), false);
  assert.equal(await stale.extend(60_000), false);
  assert.equal(await cache.acquireLock("predict", 60_000), null, "still held by the new owner");
  assert.ok(await current.release());
});

contract("extend keeps a lock past its original TTL", async ({ cache, advance }) => {
  const lock = await cache.acquireLock("evaluate", 80);
  assert.ok(lock);
  assert.ok(await lock.extend(60_000));
  await advance(150);
  assert.equal(await cache.acquireLock("evaluate", 60_000), null);
  assert.ok(await lock.release());
});

contract("a token bucket allows its capacity, then refuses", async ({ cache }) => {
  const rule = { capacity: 3, refillPerSecond: 0.5 };
  const decisions = [];
  for (let i = 0; i < 4; i++) decisions.push(await cache.takeToken("login:ann", rule));
  assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, false]);
  assert.deepEqual(decisions.map((d) => d.remaining), [2, 1, 0, 0]);
  assert.equal(decisions[0].retryAfterMs, 0);
  const refused = decisions[3];
  assert.ok(
    refused.retryAfterMs > 1_500 && refused.retryAfterMs <= 2_000,
    `${refused.retryAfterMs}`,
  );
  assert.ok((await cache.takeToken("login:bob", rule)).allowed, "buckets are per key");
});

contract("a token bucket refills at its rate, up to its capacity", async ({ cache, advance }) => {
  const rule = { capacity: 2, refillPerSecond: 10 };
  assert.ok((await cache.takeToken("api", rule)).allowed);
  assert.ok((await cache.takeToken("api", rule)).allowed);
  await advance(250); // 2.5 tokens of refill, capped at 2
  const after = [];
  for (let i = 0; i < 2; i++) after.push(await cache.takeToken("api", rule));
  assert.deepEqual(after.map((d) => d.allowed), [true, true]);
  assert.equal(after[0].remaining, 1);
});

contract("ping resolves while the cache is reachable", async ({ cache }) => {
  await cache.ping();
});
