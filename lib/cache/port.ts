/**
 * Cache, locks and rate buckets: only state that can be rebuilt lives here.
 *
 * When the backing store is unreachable (a Redis outage) the adapters degrade instead of failing
 * the request:
 * - `get` answers null (a miss), `set` and `delete` do nothing: pages keep rendering from Postgres.
 * - `acquireLock` rejects with `CacheUnavailable`: a job must never run unguarded, and answering
 *   null would falsely claim that another process holds the lock. The job runner records the
 *   failure; the next tick tries again.
 * - `Lock.release` and `Lock.extend` answer false: ownership can't be confirmed, and the lock
 *   expires on its own after its TTL.
 * - `takeToken` falls back to an in-process bucket with the same rule: neither open (abuse and
 *   paid-API costs stay bounded) nor closed (users are not locked out by a cache outage), at the
 *   price of limiting per process instead of across processes until the store is back.
 * - `ping` rejects, so /health reports the cache as down.
 */

export interface Lock {
  readonly name: string;
  /** Random per acquisition: release and extend only act while this token still owns the lock. */
  readonly token: string;
  /** Releases the lock if this token still owns it; false when it had expired and moved on. */
  release(): Promise<boolean>;
  /** Resets the lock's TTL to `ttlMs` if this token still owns it; false otherwise. */
  extend(ttlMs: number): Promise<boolean>;
}

export interface RateLimitRule {
  /** Bucket size: the burst allowed at once. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
}

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  /** How long until one token is available again (0 when allowed). */
  retryAfterMs: number;
}

export interface Cache {
  readonly kind: "redis" | "memory";
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Takes the named lock for `ttlMs` or returns null when another owner holds it.
   * Rejects with `CacheUnavailable` when the store can't be reached.
   */
  acquireLock(name: string, ttlMs: number): Promise<Lock | null>;
  /** Takes one token from the bucket `key` under `rule`. */
  takeToken(key: string, rule: RateLimitRule): Promise<RateDecision>;
  /** Resolves when the cache answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The cache store can't be reached: thrown where degrading silently would be unsafe (locks). */
export class CacheUnavailable extends Error {
  constructor(message = "Cache unavailable", options?: ErrorOptions) {
    super(message, options);
    this.name = "CacheUnavailable";
  }
}
