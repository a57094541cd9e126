import assert from "node:assert/strict";
import {
  DEFAULT_RETRY,
  limitsFromConfig,
  RateLimiter,
  retryDelayMs,
  type SendLimits,
} from "./rate_limiter.ts";

const LIMITS: SendLimits = {
  global: { count: 3, windowMs: 1000 },
  chat: { count: 1, windowMs: 1000 },
  group: { count: 2, windowMs: 10_000 },
};

/** Sends to `chatId` at `now` and answers after `rtt` ms. */
function send(limiter: RateLimiter, chatId: number, now: number, rtt = 0) {
  const earliest = limiter.earliest(chatId, now);
  assert.ok(earliest !== null && earliest <= now, `send to ${chatId} at ${now}: ${earliest}`);
  limiter.finish(limiter.begin(chatId), now + rtt);
}

Deno.test("config limits become windows", () => {
  assert.deepEqual(
    limitsFromConfig({ globalPerSecond: 30, chatPerSecond: 1, groupPerMinute: 20 }),
    {
      global: { count: 30, windowMs: 1000 },
      chat: { count: 1, windowMs: 1000 },
      group: { count: 20, windowMs: 60_000 },
    },
  );
  assert.throws(
    () => new RateLimiter({ ...LIMITS, chat: { count: 0, windowMs: 1000 } }),
    RangeError,
  );
});

Deno.test("per chat: the next send waits a full window (plus margin) after the answer", () => {
  const limiter = new RateLimiter(LIMITS, { margin: 0.02 });
  send(limiter, 1, 0, 30);
  assert.equal(limiter.earliest(1, 100), 30 + 1020);
  assert.equal(limiter.earliest(2, 100), 100); // another chat is free
});

Deno.test("overall: at most `count` in any window, measured from the answers", () => {
  const limiter = new RateLimiter(LIMITS, { margin: 0 });
  send(limiter, 1, 0, 10);
  send(limiter, 2, 5, 10);
  send(limiter, 3, 8, 50);
  assert.equal(limiter.earliest(4, 100), 1010);
  send(limiter, 4, 1010);
  assert.equal(limiter.earliest(5, 1010), 1015);
});

Deno.test("an in-flight send blocks until it is answered", () => {
  const limiter = new RateLimiter(LIMITS, { margin: 0 });
  const ticket = limiter.begin(1);
  assert.equal(limiter.earliest(1, 5_000), null);
  assert.equal(limiter.earliest(2, 5_000), 5_000);
  limiter.finish(ticket, 5_200);
  assert.equal(limiter.earliest(1, 5_200), 6_200);
  // With all global room in flight, nothing may start anywhere.
  const tickets = [limiter.begin(2), limiter.begin(3), limiter.begin(4)];
  assert.equal(limiter.earliest(5, 5_300), null);
  for (const t of tickets) limiter.finish(t, 5_400);
  assert.equal(limiter.earliest(5, 5_400), 6_400);
});

Deno.test("group chats also keep to the per-group window", () => {
  const limiter = new RateLimiter(LIMITS, { margin: 0 });
  send(limiter, -100, 0);
  send(limiter, -100, 1_000);
  assert.equal(limiter.earliest(-100, 2_000), 10_000);
  assert.equal(limiter.earliest(100, 2_000), 2_000); // a private chat is not a group
});

Deno.test("429: the chat waits retry_after; a second chat's 429 meanwhile pauses everything", () => {
  const limiter = new RateLimiter(LIMITS, { margin: 0 });
  send(limiter, 1, 0);
  assert.equal(limiter.rateLimited(1, 3, 0), "chat");
  assert.equal(limiter.earliest(1, 100), 3_000);
  assert.equal(limiter.earliest(2, 100), 100);
  assert.equal(limiter.rateLimited(2, 5, 200), "global");
  assert.equal(limiter.earliest(7, 300), 5_200);
  assert.equal(limiter.pausedUntil, 5_200);
  // After the first pause ended, a lone 429 is a chat's again.
  assert.equal(limiter.rateLimited(9, 1, 6_000), "chat");
});

Deno.test("chats waiting past a time: paused, or their windows full until later", () => {
  const limiter = new RateLimiter(LIMITS, { margin: 0 });
  send(limiter, 1, 0); // chat 1 free again at 1,000
  send(limiter, -2, 0);
  send(limiter, -2, 1_000); // group -2 free again at 10,000
  limiter.rateLimited(3, 5, 0); // chat 3 paused until 5,000
  const inFlight = limiter.begin(4);
  assert.deepEqual(limiter.chatsWaitingPast(1_500).sort(), [-2, 3, 4]);
  assert.deepEqual(limiter.chatsWaitingPast(500).sort(), [-2, 1, 3, 4]);
  limiter.finish(inFlight, 1_500);
  assert.deepEqual(limiter.chatsWaitingPast(6_000), [-2]);
});

Deno.test("retry delays grow exponentially with equal jitter and a cap", () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 5000 };
  assert.equal(retryDelayMs(1, policy, 0), 500);
  assert.equal(retryDelayMs(1, policy, 0.999), 1000);
  assert.equal(retryDelayMs(3, policy, 0.5), 3000);
  assert.equal(retryDelayMs(10, policy, 1), 5000);
});
