// Picks the cache adapter from configuration: Redis when REDIS_URL is set, in-process otherwise.
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { MemoryCache } from "./memory.ts";
import type { Cache } from "./port.ts";
import { RedisCache, type RedisCacheOptions } from "./redis.ts";

/** Time allowed for the first Redis connection before the app starts without it. */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Opens the configured cache. An unreachable Redis does not stop start-up: the adapter logs one
 * warning, runs degraded and keeps reconnecting in the background.
 */
export async function openCache(
  config: Config,
  log: Logger,
  redisOptions: Partial<Omit<RedisCacheOptions, "url" | "log">> = {},
): Promise<Cache> {
  const cacheLog = log.child({ component: "cache" });
  if (!config.redisUrl) return new MemoryCache();
  const connectTimeoutMs = redisOptions.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const cache = new RedisCache({
    ...redisOptions,
    connectTimeoutMs,
    url: config.redisUrl,
    log: cacheLog,
  });
  // The connect timeout fires an 'error' first; the margin only covers a silent hang.
  await cache.ready(connectTimeoutMs + 500);
  return cache;
}
