// Redis adapter. A Redis outage must never take pages down: reads become misses, writes are
// dropped, locks refuse (see port.ts for why), rate buckets fall back to this process. Commands
// fail fast while disconnected (no offline queue) and ioredis keeps reconnecting in the background.
import { Redis } from "ioredis";
import type { Logger } from "../log.ts";
import { MemoryCache } from "./memory.ts";
import {
  type Cache,
  CacheUnavailable,
  type Lock,
  type RateDecision,
  type RateLimitRule,
} from "./port.ts";
import * as scripts from "./redis_scripts.ts";
import { checkRule, checkTtl } from "./validate.ts";

export interface RedisCacheOptions {
  url: string;
  log: Logger;
  /** Namespace for every key, so several apps (or test runs) can share one Redis. */
  prefix?: string;
  /** A command that gets no answer in this time fails (and counts as an outage). */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect backoff doubles from 100 ms up to this cap, forever. */
  maxReconnectDelayMs?: number;
}

/** `host:port` of a Redis URL, for logs: the URL itself may carry a password. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return "(invalid REDIS_URL)";
  }
}

function isReplyError(error: unknown): boolean {
  // The server answered with an error (wrong type, script bug): a bug to surface, not an outage.
  return error instanceof Error && error.name === "ReplyError";
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class RedisCache implements Cache {
  readonly kind = "redis";
  readonly #redis: Redis;
  readonly #log: Logger;
  readonly #prefix: string;
  readonly #address: string;
  /** Rate buckets while Redis is away: limits stay in force, per process. */
  readonly #fallback = new MemoryCache();
  #everReady = false;
  #down = false;
  #closed = false;

  constructor(options: RedisCacheOptions) {
    const commandTimeout = options.commandTimeoutMs ?? 500;
    const maxDelay = options.maxReconnectDelayMs ?? 5_000;
    this.#log = options.log;
    this.#prefix = options.prefix ?? "craveny:";
    this.#address = redisAddress(options.url);
    this.#redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // A lock SET reported as failed must not be replayed after a reconnect.
      autoResendUnfulfilledCommands: false,
      commandTimeout,
      // A server that stops answering on an open socket: drop the socket so commands fail fast.
      socketTimeout: commandTimeout * 2,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times - 1, 16), maxDelay),
    });
    // Without an 'error' listener ioredis reports every failed reconnect as unhandled.
    this.#redis.on("error", (error: unknown) => this.#markDown(error));
    this.#redis.on("ready", () => this.#markUp());
  }

  /** False during an outage (also before the first successful connection). */
  get healthy(): boolean {
    return this.#redis.status === "ready" && !this.#down;
  }

  /**
   * Waits for the first connection: true once ready, false on the first failure or after
   * `timeoutMs` (the adapter then runs degraded and keeps reconnecting).
   */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.#redis.status === "ready") return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.#redis.off("ready", onReady);
        this.#redis.off("error", onError);
        resolve(ok);
      };
      const onReady = () => finish(true);
      const onError = () => finish(false);
      const timer = setTimeout(() => {
        this.#markDown(new Error(`no connection within ${timeoutMs} ms`));
        finish(false);
      }, timeoutMs);
      this.#redis.once("ready", onReady);
      this.#redis.once("error", onError);
    });
  }

  async get(key: string): Promise<string | null> {
    try {
      return await this.#call((redis) => redis.get(this.#prefix + "cache:" + key));
    } catch (error) {
      this.#swallow("get", key, error);
      return null;
    }
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = ttlMs === undefined ? undefined : checkTtl(ttlMs);
    const fullKey = this.#prefix + "cache:" + key;
    try {
      await this.#call((redis) =>
        ttl === undefined ? redis.set(fullKey, value) : redis.set(fullKey, value, "PX", ttl)
      );
    } catch (error) {
      this.#swallow("set", key, error);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#call((redis) => redis.del(this.#prefix + "cache:" + key));
    } catch (error) {
      this.#swallow("delete", key, error);
    }
  }

  async acquireLock(name: string, ttlMs: number): Promise<Lock | null> {
    const ttl = checkTtl(ttlMs);
    const key = this.#prefix + "lock:" + name;
    const token = crypto.randomUUID();
    const reply = await this.#call((redis) => redis.set(key, token, "PX", ttl, "NX"));
    if (reply !== "OK") return null;
    const ifOwned = async (script: scripts.LuaScript, args: (string | number)[]) => {
      try {
        return await this.#call((redis) => this.#eval(redis, script, [key], args)) === 1;
      } catch (error) {
        if (error instanceof CacheUnavailable) return false;
        throw error;
      }
    };
    return {
      name,
      token,
      release: () => ifOwned(scripts.releaseLock, [token]),
      extend: async (ms) => await ifOwned(scripts.extendLock, [token, checkTtl(ms)]),
    };
  }

  async takeToken(key: string, rule: RateLimitRule): Promise<RateDecision> {
    checkRule(rule);
    let reply: unknown;
    try {
      reply = await this.#call((redis) =>
        this.#eval(redis, scripts.takeToken, [this.#prefix + "rate:" + key], [
          rule.capacity,
          rule.refillPerSecond,
        ])
      );
    } catch (error) {
      if (error instanceof CacheUnavailable) return this.#fallback.takeToken(key, rule);
      throw error;
    }
    if (!Array.isArray(reply) || reply.length !== 3) {
      throw new Error(`unexpected token bucket reply: ${JSON.stringify(reply)}`);
    }
    const [allowed, remaining, retryAfterMs] = reply.map(Number);
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }

  async ping(): Promise<void> {
    await this.#call((redis) => redis.ping());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const redis = this.#redis;
    if (redis.status === "end") return;
    // Wait for the socket to close so nothing outlives close() (Deno's test sanitizers check).
    const ended = redis.status === "reconnecting" || redis.status === "wait"
      ? Promise.resolve()
      : new Promise<void>((resolve) => redis.once("end", resolve));
    if (redis.status === "ready") {
      await redis.quit().catch(() => redis.disconnect());
    } else {
      redis.disconnect();
    }
    await ended;
    await this.#fallback.close();
  }

  /** Runs a command; an unreachable or silent server becomes `CacheUnavailable`. */
  async #call<T>(run: (redis: Redis) => Promise<T>): Promise<T> {
    const status = this.#redis.status;
    if (status !== "ready") {
      const error = new CacheUnavailable(`Redis unavailable (connection ${status})`);
      this.#markDown(error);
      throw error;
    }
    try {
      const value = await run(this.#redis);
      this.#markUp();
      return value;
    } catch (error) {
      if (isReplyError(error)) throw error;
      this.#markDown(error);
      throw new CacheUnavailable(`Redis unavailable: ${message(error)}`, { cause: error });
    }
  }

  async #eval(
    redis: Redis,
    script: scripts.LuaScript,
    keys: string[],
    args: (string | number)[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // First use on this server (or after SCRIPT FLUSH): send the source once.
      if (!message(error).startsWith("NOSCRIPT")) throw error;
      return await redis.eval(script.source, keys.length, ...keys, ...args);
    }
  }

  /** get/set/delete never fail the caller: an outage was already logged once by #markDown. */
  #swallow(operation: string, key: string, error: unknown) {
    if (error instanceof CacheUnavailable) return;
    this.#log.warn(`cache ${operation} failed`, { key, error: message(error) });
  }

  /** Logs one warning per outage window, however many commands and reconnects fail in it. */
  #markDown(error: unknown) {
    if (this.#closed || this.#down) return;
    this.#down = true;
    this.#log.warn(
      this.#everReady
        ? "cache degraded: lost the connection to Redis; serving misses, job locks unavailable, " +
          "rate limits per process until it is back"
        : "cache degraded: Redis unreachable at start-up; serving misses, job locks unavailable, " +
          "rate limits per process until it is back",
      { redis: this.#address, error: message(error) },
    );
  }

  #markUp() {
    this.#everReady = true;
    if (!this.#down) return;
    this.#down = false;
    this.#log.info("cache recovered: Redis reachable again", { redis: this.#address });
    void this.#fallback.close();
  }
}
