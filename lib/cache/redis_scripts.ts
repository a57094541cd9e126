// Lua scripts for the Redis adapter: each runs atomically on the server, so check-then-act steps
// (compare-and-delete, refill-then-take) can't interleave with another process.
import { createHash } from "node:crypto";

export interface LuaScript {
  readonly source: string;
  /** EVALSHA sends the 40-byte hash instead of the script on every call. */
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/** KEYS[1] lock, ARGV[1] token → 1 when deleted, 0 when another token (or nobody) owns it. */
export const releaseLock = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/** KEYS[1] lock, ARGV[1] token, ARGV[2] ttl ms → 1 when extended, 0 when not owned. */
export const extendLock = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`);

/**
 * KEYS[1] bucket hash, ARGV[1] capacity, ARGV[2] refill per second → {allowed, remaining,
 * retryAfterMs}. Mirrors lib/cache/token_bucket.ts; uses the server clock so processes with
 * skewed clocks share one timeline. The key expires once the bucket would be full again.
 */
export const takeToken = script(`
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'updated_at')
local tokens = tonumber(stored[1]) or capacity
local updated = tonumber(stored[2]) or now
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate / 1000)
  updated = now
end
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated_at', tostring(updated))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
local remaining = 0
if allowed == 1 then remaining = math.floor(tokens) end
return {allowed, remaining, retry}
`);
