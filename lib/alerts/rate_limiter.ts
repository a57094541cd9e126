// When the alerts job may send the next message, under Telegram's three limits (messages per
// window overall, per chat, per group chat), pure: every method takes the time.
//
// Telegram counts a message when it arrives, somewhere between our request's start and its
// answer. So a send occupies its windows from its start while in flight, and from its answer once
// answered (the latest moment Telegram can have counted it): a new send starts only when the
// window's oldest counted send was answered a full window (plus a small margin) earlier. Network
// delays then never push two sends closer together at Telegram than the limits allow.
import type { Config } from "../config.ts";

/** At most `count` sends in any `windowMs`. */
export interface WindowLimit {
  count: number;
  windowMs: number;
}

export interface SendLimits {
  global: WindowLimit;
  chat: WindowLimit;
  /** Group chats (negative ids), on top of the per-chat limit. */
  group: WindowLimit;
}

export function limitsFromConfig(limits: Config["alerts"]["limits"]): SendLimits {
  return {
    global: { count: limits.globalPerSecond, windowMs: 1000 },
    chat: { count: limits.chatPerSecond, windowMs: 1000 },
    group: { count: limits.groupPerMinute, windowMs: 60_000 },
  };
}

/** Telegram's chats with negative ids are groups, supergroups and channels. */
export function isGroupChat(chatId: number): boolean {
  return chatId < 0;
}

export interface RateLimiterOptions {
  /** Windows are stretched by this fraction (default 0.02: 20 ms on a second). */
  margin?: number;
}

/** A send that started; `finish` it with the time its answer arrived. */
export interface SendTicket {
  readonly chatId: number;
  /** The windows it counts in. */
  readonly windows: readonly Window[];
}

/** One limit's recent sends: how many are in flight, and when the answered ones were answered. */
class Window {
  inFlight = 0;
  /** Answer times, ascending. */
  readonly answered: number[] = [];
  constructor(readonly limit: WindowLimit, readonly spanMs: number) {}

  /** Earliest start for one more send; null: only after an in-flight send is answered. */
  earliest(now: number): number | null {
    const room = this.limit.count - this.inFlight;
    if (room <= 0) return null;
    // The room-th most recent answered send must have left the window first.
    const blocker = this.answered[this.answered.length - room];
    return blocker === undefined ? now : Math.max(now, blocker + this.spanMs);
  }

  answer(at: number) {
    this.inFlight--;
    let i = this.answered.length;
    while (i > 0 && this.answered[i - 1] > at) i--;
    this.answered.splice(i, 0, at);
  }

  prune(now: number) {
    let expired = 0;
    while (expired < this.answered.length && this.answered[expired] + this.spanMs <= now) expired++;
    if (expired) this.answered.splice(0, expired);
  }

  isIdle() {
    return this.inFlight === 0 && this.answered.length === 0;
  }
}

export class RateLimiter {
  readonly #limits: SendLimits;
  readonly #margin: number;
  readonly #global: Window;
  readonly #chats = new Map<number, Window>();
  readonly #groups = new Map<number, Window>();
  /** Chat → no send before this time (a 429's retry_after). */
  readonly #pausedChats = new Map<number, number>();
  #pausedUntil = 0;

  constructor(limits: SendLimits, options: RateLimiterOptions = {}) {
    for (const [name, limit] of Object.entries(limits)) {
      if (!(limit.count >= 1 && limit.windowMs > 0)) {
        throw new RangeError(`${name} limit must allow at least one send per window`);
      }
    }
    this.#limits = limits;
    this.#margin = options.margin ?? 0.02;
    this.#global = this.#window(limits.global);
  }

  #window(limit: WindowLimit): Window {
    return new Window(limit, Math.ceil(limit.windowMs * (1 + this.#margin)));
  }

  #windowsOf(chatId: number, create: boolean): Window[] {
    const windows = [this.#global];
    const pick = (map: Map<number, Window>, limit: WindowLimit) => {
      let window = map.get(chatId);
      if (!window && create) map.set(chatId, window = this.#window(limit));
      if (window) windows.push(window);
    };
    pick(this.#chats, this.#limits.chat);
    if (isGroupChat(chatId)) pick(this.#groups, this.#limits.group);
    return windows;
  }

  /**
   * Earliest time a send to `chatId` may start (≥ now), or null while it must wait for an
   * in-flight send's answer.
   */
  earliest(chatId: number, now: number): number | null {
    let at = Math.max(now, this.#pausedUntil, this.#pausedChats.get(chatId) ?? 0);
    for (const window of this.#windowsOf(chatId, false)) {
      const earliest = window.earliest(now);
      if (earliest === null) return null;
      at = Math.max(at, earliest);
    }
    return at;
  }

  /** Records a send to `chatId` starting now (call only when `earliest` ≤ now). */
  begin(chatId: number): SendTicket {
    const windows = this.#windowsOf(chatId, true);
    for (const window of windows) window.inFlight++;
    return { chatId, windows };
  }

  /** The send's answer (any answer, or none: a failure) arrived at `now`. */
  finish(ticket: SendTicket, now: number): void {
    for (const window of ticket.windows) window.answer(now);
    this.#global.prune(now);
    this.#forgetIdle(ticket.chatId, now);
  }

  /**
   * Telegram answered 429 with `retry_after` for a send to `chatId`. Its 429s do not say which
   * limit was hit, so the chat waits; when another chat is still waiting on an earlier 429, the
   * limit was evidently the overall one (or another process shares the token), and every send
   * waits. Returns the scope applied.
   */
  rateLimited(chatId: number, retryAfterSeconds: number, now: number): "chat" | "global" {
    const until = now + Math.max(0, retryAfterSeconds) * 1000 * (1 + this.#margin);
    const otherWaiting = [...this.#pausedChats].some(([id, end]) => id !== chatId && end > now);
    this.#pausedChats.set(chatId, Math.max(until, this.#pausedChats.get(chatId) ?? 0));
    if (!otherWaiting) return "chat";
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
    return "global";
  }

  /** Chats that may not send before `at` (paused, or their windows are full until later). */
  chatsWaitingPast(at: number): number[] {
    const waiting = new Set<number>();
    for (const [chatId, until] of this.#pausedChats) if (until > at) waiting.add(chatId);
    for (const map of [this.#chats, this.#groups]) {
      for (const [chatId, window] of map) {
        const earliest = window.earliest(at);
        if (earliest === null || earliest > at) waiting.add(chatId);
      }
    }
    return [...waiting];
  }

  /** Until when nothing may be sent at all (0 or a past time: no global pause). */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  #forgetIdle(chatId: number, now: number) {
    for (const map of [this.#chats, this.#groups]) {
      const window = map.get(chatId);
      window?.prune(now);
      if (window?.isIdle()) map.delete(chatId);
    }
    const paused = this.#pausedChats.get(chatId);
    if (paused !== undefined && paused <= now) this.#pausedChats.delete(chatId);
  }
}

export interface RetryPolicy {
  /** Attempts before a row is given up as failed. */
  maxAttempts: number;
  /** Delay before the second attempt; each further one doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 5_000,
  maxDelayMs: 600_000,
};

/**
 * Delay before retrying after failed attempt number `attempt` (1-based): exponential, capped, and
 * "equal jitter" (half fixed, half random) so that failed sends do not come back in lockstep.
 * `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}
