// In-process cache for a single process (no REDIS_URL). No timers: expiry is checked on access
// and swept every few hundred writes, so nothing keeps the process alive.
import type { Cache, Lock, RateDecision, RateLimitRule } from "./port.ts";
import { bucketFullAt, type BucketState, takeFromBucket } from "./token_bucket.ts";
import { checkRule, checkTtl } from "./validate.ts";

export interface MemoryCacheOptions {
  /** Milliseconds clock; tests inject a fake one instead of sleeping. */
  now?: () => number;
  /** Values kept at most; the least recently used are dropped beyond it. */
  maxEntries?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

interface Bucket {
  state: BucketState;
  fullAt: number;
}

const SWEEP_EVERY = 512;

/** Runs synchronous work behind the async port: a bad argument rejects instead of throwing. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}

export class MemoryCache implements Cache {
  readonly kind = "memory";
  readonly #now: () => number;
  readonly #maxEntries: number;
  // Map iteration order is insertion order: re-inserting on read makes the first key the LRU.
  readonly #values = new Map<string, Entry>();
  readonly #locks = new Map<string, { token: string; expiresAt: number }>();
  readonly #buckets = new Map<string, Bucket>();
  #writes = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  get(key: string): Promise<string | null> {
    return settle(() => {
      const entry = this.#values.get(key);
      if (!entry) return null;
      this.#values.delete(key);
      if (entry.expiresAt <= this.#now()) return null;
      this.#values.set(key, entry);
      return entry.value;
    });
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    return settle(() => this.#set(key, value, ttlMs));
  }

  #set(key: string, value: string, ttlMs?: number) {
    const expiresAt = ttlMs === undefined ? Infinity : this.#now() + checkTtl(ttlMs);
    this.#values.delete(key);
    this.#values.set(key, { value, expiresAt });
    this.#wrote();
    while (this.#values.size > this.#maxEntries) {
      const oldest = this.#values.keys().next().value;
      if (oldest === undefined) break;
      this.#values.delete(oldest);
    }
  }

  delete(key: string): Promise<void> {
    this.#values.delete(key);
    return Promise.resolve();
  }

  acquireLock(name: string, ttlMs: number): Promise<Lock | null> {
    return settle(() => {
      const ttl = checkTtl(ttlMs);
      const now = this.#now();
      const held = this.#locks.get(name);
      if (held && held.expiresAt > now) return null;
      const token = crypto.randomUUID();
      this.#locks.set(name, { token, expiresAt: now + ttl });
      this.#wrote();
      return this.#lock(name, token);
    });
  }

  takeToken(key: string, rule: RateLimitRule): Promise<RateDecision> {
    return settle(() => {
      checkRule(rule);
      const bucket = this.#buckets.get(key);
      const { state, decision } = takeFromBucket(bucket?.state, rule, this.#now());
      this.#buckets.set(key, { state, fullAt: bucketFullAt(state, rule) });
      this.#wrote();
      return decision;
    });
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#values.clear();
    this.#locks.clear();
    this.#buckets.clear();
    return Promise.resolve();
  }

  #lock(name: string, token: string): Lock {
    const owned = () => {
      const held = this.#locks.get(name);
      return held?.token === token && held.expiresAt > this.#now();
    };
    return {
      name,
      token,
      release: () =>
        settle(() => {
          if (!owned()) return false;
          this.#locks.delete(name);
          return true;
        }),
      extend: (ttlMs) =>
        settle(() => {
          const ttl = checkTtl(ttlMs);
          if (!owned()) return false;
          this.#locks.set(name, { token, expiresAt: this.#now() + ttl });
          return true;
        }),
    };
  }

  /** Drops expired values and locks and refilled buckets now and then, so memory stays bounded. */
  #wrote() {
    if (++this.#writes % SWEEP_EVERY !== 0) return;
    const now = this.#now();
    for (const [key, entry] of this.#values) if (entry.expiresAt <= now) this.#values.delete(key);
    for (const [name, lock] of this.#locks) if (lock.expiresAt <= now) this.#locks.delete(name);
    for (const [key, bucket] of this.#buckets) if (bucket.fullAt <= now) this.#buckets.delete(key);
  }
}
