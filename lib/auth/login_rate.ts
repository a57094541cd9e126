// Login attempts are rate limited per account (password guessing against one user) and per client
// address (one client trying many accounts), with the cache's token buckets: shared across
// processes with Redis, per process without it (lib/cache/port.ts).
import type { Cache, RateLimitRule } from "../cache/port.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import { TooManyRequests } from "../http/errors.ts";
import type { Logger } from "../log.ts";

/** 5 attempts a minute per account, 20 per address; a burst of that size, refilled evenly. */
export const LOGIN_RATE: Readonly<Record<"account" | "ip", RateLimitRule>> = {
  account: { capacity: 5, refillPerSecond: 5 / 60 },
  ip: { capacity: 20, refillPerSecond: 20 / 60 },
};

/** Takes one attempt from both buckets, or throws 429 with Retry-After. */
export async function takeLoginAttempt(
  cache: Cache,
  log: Logger,
  attempt: { email: string; ip: string },
): Promise<void> {
  // The address bucket first: a client over its limit does not also drain an account's bucket.
  // Accounts are keyed by a hash: cache keys and logs need no email addresses.
  const account = await sha256Hex(attempt.email);
  const buckets = [
    { scope: "ip", key: `login:ip:${attempt.ip}`, rule: LOGIN_RATE.ip },
    { scope: "account", key: `login:account:${account}`, rule: LOGIN_RATE.account },
  ] as const;
  for (const { scope, key, rule } of buckets) {
    const decision = await cache.takeToken(key, rule);
    if (decision.allowed) continue;
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    log.warn("login rate limited", { scope, ip: attempt.ip, account: account.slice(0, 16) });
    throw new TooManyRequests(
      `Too many sign-in attempts: try again in ${retryAfterSeconds} seconds.`,
      retryAfterSeconds,
    );
  }
}
