/** Cache, locks and rate buckets: only state that can be rebuilt lives here. */

export interface Lock {
  readonly name: string;
  /** Random per acquisition: release and extend only act while this token still owns the lock. */
  readonly token: string;
  /** Releases the lock if this token still owns it; false when it had expired and moved on. */
  release(): Promise<boolean>;
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
  /** Takes the named lock for `ttlMs` or returns null when another owner holds it. */
  acquireLock(name: string, ttlMs: number): Promise<Lock | null>;
  /** Takes one token from the bucket `key` under `rule`. */
  takeToken(key: string, rule: RateLimitRule): Promise<RateDecision>;
  /** Resolves when the cache answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
