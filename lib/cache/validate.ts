// Argument checks shared by both adapters, so a bad TTL or rule fails the same way everywhere.
import type { RateLimitRule } from "./port.ts";

/** A TTL must be a positive, finite number of milliseconds (Redis PX rejects 0 and fractions). */
export function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

export function checkRule(rule: RateLimitRule): RateLimitRule {
  if (!Number.isFinite(rule.capacity) || rule.capacity < 1) {
    throw new RangeError(`capacity must be at least 1, got ${rule.capacity}`);
  }
  if (!Number.isFinite(rule.refillPerSecond) || rule.refillPerSecond <= 0) {
    throw new RangeError(`refillPerSecond must be positive, got ${rule.refillPerSecond}`);
  }
  return rule;
}
