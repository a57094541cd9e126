// Token bucket arithmetic for the in-process adapter. The Redis adapter runs the same steps in Lua
// (lib/cache/redis_scripts.ts) so both adapters decide alike.
import type { RateDecision, RateLimitRule } from "./port.ts";

export interface BucketState {
  /** Fractional: refill accrues continuously between takes. */
  tokens: number;
  updatedAt: number;
}

/** Refills `state` up to `now`, then tries to take one token. A missing bucket starts full. */
export function takeFromBucket(
  state: BucketState | undefined,
  rule: RateLimitRule,
  now: number,
): { state: BucketState; decision: RateDecision } {
  let tokens = state?.tokens ?? rule.capacity;
  const updatedAt = state?.updatedAt ?? now;
  if (now > updatedAt) {
    tokens = Math.min(rule.capacity, tokens + (now - updatedAt) * rule.refillPerSecond / 1000);
  }
  const last = Math.max(now, updatedAt);
  if (tokens >= 1) {
    tokens -= 1;
    return {
      state: { tokens, updatedAt: last },
      decision: { allowed: true, remaining: Math.floor(tokens), retryAfterMs: 0 },
    };
  }
  return {
    state: { tokens, updatedAt: last },
    decision: {
      allowed: false,
      remaining: 0,
      retryAfterMs: Math.ceil((1 - tokens) * 1000 / rule.refillPerSecond),
    },
  };
}

/** When the bucket will be full again: from then on it equals a missing bucket and can be dropped. */
export function bucketFullAt(state: BucketState, rule: RateLimitRule): number {
  return state.updatedAt + (rule.capacity - state.tokens) * 1000 / rule.refillPerSecond;
}
