// Cache adapters for tests: the in-process one always, Redis too when REDIS_URL is set. Each
// Redis opening gets its own key namespace so parallel tests sharing one server never collide.
import { Redis } from "ioredis";
import { MemoryCache } from "../../lib/cache/memory.ts";
import type { Cache } from "../../lib/cache/port.ts";
import { RedisCache } from "../../lib/cache/redis.ts";
import { createLogger } from "../../lib/log.ts";

export interface TestCacheKind {
  name: "memory" | "redis";
  /** `count` clients sharing one store, like that many processes; close each one. */
  open(count: number): Promise<Cache[]>;
}

/** Deletes every key under `prefix` (test namespaces only). */
export async function deleteRedisNamespace(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Counts the clients of one test namespace; the last one to close deletes it. */
class Namespace {
  readonly prefix = `craveny-test:${crypto.randomUUID()}:`;
  clients = 0;
  constructor(readonly url: string) {}
}

class TestRedisCache extends RedisCache {
  #closed = false;

  constructor(readonly namespace: Namespace) {
    super({ url: namespace.url, prefix: namespace.prefix, log: createLogger("error", () => {}) });
    namespace.clients++;
  }

  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await super.close();
    if (--this.namespace.clients === 0) {
      await deleteRedisNamespace(this.namespace.url, this.namespace.prefix);
    }
  }
}

async function openSharedRedis(url: string, count: number): Promise<RedisCache[]> {
  const namespace = new Namespace(url);
  const caches = Array.from({ length: count }, () => new TestRedisCache(namespace));
  const ready = await Promise.all(caches.map((cache) => cache.ready(2_000)));
  if (ready.includes(false)) {
    await Promise.all(caches.map((cache) => cache.close()));
    throw new Error("REDIS_URL is set but Redis is unreachable");
  }
  return caches;
}

/** Opens a Redis cache in a fresh namespace that is deleted when the cache is closed. */
export async function openTestRedisCache(url: string): Promise<RedisCache> {
  const [cache] = await openSharedRedis(url, 1);
  return cache;
}

export function openTestCaches(): TestCacheKind[] {
  const kinds: TestCacheKind[] = [{
    name: "memory",
    // One in-process store is what several "processes" share within one test.
    open: (count) => {
      const cache = new MemoryCache();
      return Promise.resolve(Array.from({ length: count }, () => cache));
    },
  }];
  const url = Deno.env.get("REDIS_URL");
  if (url) kinds.push({ name: "redis", open: (count) => openSharedRedis(url, count) });
  return kinds;
}
