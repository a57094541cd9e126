// Drains the alert outbox to Telegram: claims due rows (lib/alerts/outbox.ts), formats each
// chat's rows into messages (format.ts), and sends them with bounded concurrency under the rate
// limiter (rate_limiter.ts), until nothing is due soon or the signal fires. Then it sends nothing
// more, waits for the sends in flight and records their answers, and puts claimed rows it did not
// send back to pending: a stop never leaves 'sending' rows behind.
import type { Sql } from "postgres";
import type { Logger } from "../log.ts";
import { formatMessages } from "./format.ts";
import {
  beginAttempt,
  claimDue,
  type DeliveryResult,
  type DuePolicy,
  failClaims,
  type Fence,
  finishAttempt,
  nextDueAt,
  type OutboxRow,
  recoverSending,
  releaseClaims,
} from "./outbox.ts";
import {
  RateLimiter,
  retryDelayMs,
  type RetryPolicy,
  type SendLimits,
  type SendTicket,
} from "./rate_limiter.ts";
import type { AlertSender, SendOutcome } from "./sender.ts";

export interface DrainOptions {
  limits: SendLimits;
  policy: DuePolicy;
  retry: RetryPolicy;
  /** Links in messages point here (config.publicUrl). */
  publicUrl: string;
  /** Sends in flight at most: the bound on alerts left 'unknown' by a crash (one message each). */
  concurrency: number;
  /** How long a claim holds its rows ('sending') before another claimer may recover them. */
  leaseMs: number;
  /** Keep running while a pending row comes due within this long; stop otherwise. */
  lingerMs: number;
  /** Rows of one collapse key per message group at most (a digest of more waits for the next). */
  rowsPerGroup: number;
  signal: AbortSignal;
  log: Logger;
  /**
   * The job's write fence, checked when claiming (lib/jobs/fence.ts). Each send checks its claim's
   * lease instead (lib/alerts/outbox.ts beginAttempt).
   */
  fence?: Fence;
  clock?: () => number;
  random?: () => number;
}

export const DRAIN_DEFAULTS = {
  concurrency: 8,
  leaseMs: 5 * 60_000,
  lingerMs: 15_000,
  rowsPerGroup: 50,
} as const;

/** What a drain did, in rows unless said otherwise. */
export interface DrainCounts {
  /** Rows delivered. */
  sent: number;
  /** Messages delivered (several collapsed rows make one). */
  messages: number;
  /** Rows put back for a later attempt after a transient failure. */
  retried: number;
  /** 429 answers (messages). */
  rate_limited: number;
  /** Chats deactivated because Telegram refused them (blocked, kicked, not found). */
  blocked: number;
  /** Rows cancelled: inactive or blocked chat, or too old. */
  cancelled: number;
  /** Rows sent without an answer: may have been delivered, never sent again. */
  unknown: number;
  /** Rows given up after a permanent error or the last attempt. */
  failed: number;
  /** Rows put off by a chat's mute or a collapse key's cooldown. */
  postponed: number;
}

/** Telegram refused the bot token (401/404): nothing can be sent until the config is fixed. */
export class TokenRejected extends Error {
  constructor(status: number | null, description: string) {
    super(
      `Telegram rejected the bot token (${status ?? "?"} ${description}): ` +
        "check TELEGRAM_BOT_TOKEN; the alerts stay in the outbox",
    );
    this.name = "TokenRejected";
  }
}

/** A message on its way: the rows it carries, their claim's lease, and its text. */
interface Message {
  chatId: number;
  rows: OutboxRow[];
  lease: string;
  text: string;
}

/** How long ahead a chat must be able to send for its rows to be claimed now. */
const CLAIM_HORIZON_MS = 2_000;
/** Pause between claims that found nothing while rows may come due. */
const POLL_MS = 200;

export async function drainOutbox(
  sql: Sql,
  sender: AlertSender,
  options: DrainOptions,
): Promise<DrainCounts> {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const { log, signal } = options;
  const limiter = new RateLimiter(options.limits);
  const counts: DrainCounts = {
    sent: 0,
    messages: 0,
    retried: 0,
    rate_limited: 0,
    blocked: 0,
    cancelled: 0,
    unknown: 0,
    failed: 0,
    postponed: 0,
  };
  const queue: Message[] = [];
  /** Chats with a message queued or in flight: one message per chat at a time, in order. */
  const busyChats = new Map<number, number>();
  const sendingChats = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  let fatal: Error | null = null;
  let nextClaimAt = 0;
  const waker = new Waker(signal);

  const hold = (chatId: number, n: number) => {
    const left = (busyChats.get(chatId) ?? 0) + n;
    if (left > 0) busyChats.set(chatId, left);
    else busyChats.delete(chatId);
  };

  // A claim keeps the queue about two seconds of sends deep: enough to keep the limits busy,
  // little enough that queued rows never outwait their lease.
  const claimSize = Math.max(options.concurrency * 2, options.limits.global.count * 2);

  const claim = async () => {
    const now = clock();
    const exclude = [...busyChats.keys(), ...limiter.chatsWaitingPast(now + CLAIM_HORIZON_MS)];
    const claimed = await claimDue(sql, {
      groups: claimSize - queue.length,
      rowsPerGroup: options.rowsPerGroup,
      excludeChats: exclude,
      leaseMs: options.leaseMs,
      policy: options.policy,
    }, options.fence);
    counts.postponed += claimed.postponed;
    counts.cancelled += claimed.cancelled;
    for (const group of claimed.groups) {
      let texts;
      try {
        texts = formatMessages(
          { collapseKey: group.collapseKey, payloads: group.rows.map((r) => r.payload) },
          options.publicUrl,
        );
      } catch (error) {
        const ids = group.rows.map((r) => r.id);
        const message = `no message can be made of the payload: ${String(error)}`;
        log.error("alert payload can't be formatted", { chatId: group.chatId, ids, error });
        counts.failed += await withRetries(() => failClaims(sql, ids, message), log);
        continue;
      }
      let next = 0;
      for (const { text, alerts } of texts) {
        const rows = group.rows.slice(next, next + alerts);
        queue.push({ chatId: group.chatId, rows, lease: group.lease, text });
        next += alerts;
      }
      hold(group.chatId, texts.length);
    }
    return claimed.groups.length;
  };

  /** One message: open its attempt, send it, record the answer. `ticket`: its limiter slot. */
  const deliver = async (message: Message, ticket: SendTicket) => {
    const ids = message.rows.map((r) => r.id);
    let outcome: SendOutcome;
    let attemptId: number | null;
    try {
      attemptId = await beginAttempt(sql, message.chatId, ids, message.lease);
      if (attemptId === null) {
        log.warn("alert rows were taken back before sending: skipped", { chatId: message.chatId });
        return;
      }
      outcome = await sender.send(message.chatId, message.text);
    } finally {
      limiter.finish(ticket, clock());
    }
    if (outcome.kind === "rate_limited") {
      const scope = limiter.rateLimited(message.chatId, outcome.retryAfterSeconds, clock());
      log.warn("Telegram rate limit hit", { chatId: message.chatId, scope, ...outcome });
    }
    const attempts = Math.max(...message.rows.map((r) => r.attempts)) + 1;
    const result = deliveryResult(outcome, attempts, options.retry, random());
    if (result.outcome === "released") {
      fatal ??= new TokenRejected(result.status, result.error);
    }
    const recorded = await withRetries(
      () => finishAttempt(sql, attemptId, message.chatId, ids, result),
      log,
    );
    tally(counts, result, ids.length, recorded);
    if (result.outcome === "blocked") {
      // The chat's other queued parts go back: the next claim cancels them (inactive chat).
      const dropped = queue.filter((m) => m.chatId === message.chatId);
      for (const part of dropped) {
        queue.splice(queue.indexOf(part), 1);
        hold(part.chatId, -1);
        await releaseClaims(sql, part.rows.map((r) => r.id), part.lease);
      }
    }
  };

  const start = (message: Message) => {
    sendingChats.add(message.chatId);
    // The slot is taken now, before any await, so that the next pass sees it.
    const task = deliver(message, limiter.begin(message.chatId))
      .catch((error) => {
        // The database failed around a send: the rows stay 'sending' and the next run's
        // recovery settles them ('unknown' if the attempt was open). Stop claiming more.
        fatal ??= error instanceof Error ? error : new Error(String(error));
        log.error("alert delivery could not be recorded", { chatId: message.chatId, error });
      })
      .finally(() => {
        sendingChats.delete(message.chatId);
        hold(message.chatId, -1);
        inFlight.delete(task);
        waker.wake();
      });
    inFlight.add(task);
  };

  /** Starts what the limits allow now; returns when the next queued message could start. */
  const startReady = (): number => {
    let nextAt = Infinity;
    const seen = new Set<number>();
    for (let i = 0; i < queue.length && inFlight.size < options.concurrency; i++) {
      const message = queue[i];
      // Only a chat's first queued message is eligible, and not while one is in flight: a
      // chat's messages go in order.
      if (seen.has(message.chatId) || sendingChats.has(message.chatId)) {
        seen.add(message.chatId);
        continue;
      }
      seen.add(message.chatId);
      const now = clock();
      const earliest = limiter.earliest(message.chatId, now);
      if (earliest === null) continue; // woken when the send it waits for is answered
      if (earliest > now) {
        nextAt = Math.min(nextAt, earliest);
        continue;
      }
      queue.splice(i--, 1);
      start(message);
    }
    return nextAt;
  };

  const stopping = () => signal.aborted || fatal !== null;

  // Rows whose lease ran out were left by a claimer that stopped or stalled: settle them first.
  const recovered = await recoverSending(sql, { all: false });
  counts.unknown += recovered.unknown;

  try {
    while (!stopping()) {
      const now = clock();
      let claimedNothing = false;
      if (queue.length < claimSize / 2 && now >= nextClaimAt && now >= limiter.pausedUntil) {
        claimedNothing = (await claim()) === 0;
        if (claimedNothing) nextClaimAt = clock() + POLL_MS;
        if (stopping()) break;
      }
      let until = startReady();
      if (queue.length === 0 && inFlight.size === 0 && claimedNothing) {
        const due = await nextDueAt(sql);
        if (due === null || due.getTime() > clock() + options.lingerMs) break;
      }
      // Otherwise sleep until a queued message may start, the next claim is worth making, or a
      // send finishes (which wakes the loop).
      if (queue.length < claimSize / 2) {
        until = Math.min(until, Math.max(nextClaimAt, limiter.pausedUntil));
      }
      await waker.sleep(Math.min(until - clock(), POLL_MS * 5));
    }
  } finally {
    // Stopping (or failing): nothing new starts; what is in flight finishes and is recorded, and
    // claimed rows never attempted go back to pending.
    const unsent = new Map<string, number[]>();
    for (const message of queue.splice(0)) {
      unsent.set(message.lease, [
        ...(unsent.get(message.lease) ?? []),
        ...message.rows.map((r) => r.id),
      ]);
    }
    await Promise.all(inFlight);
    for (const [lease, ids] of unsent) {
      await withRetries(() => releaseClaims(sql, ids, lease), log);
    }
  }
  if (fatal) throw fatal;
  return counts;
}

/** What a send's outcome means for its rows, after `attempts` attempts including this one. */
export function deliveryResult(
  outcome: SendOutcome,
  attempts: number,
  retry: RetryPolicy,
  random: number,
): DeliveryResult {
  switch (outcome.kind) {
    case "sent":
      return { outcome: "sent", messageId: outcome.messageId };
    case "rate_limited":
      return {
        outcome: "rate_limited",
        retryAfterSeconds: outcome.retryAfterSeconds,
        error: `429: retry after ${outcome.retryAfterSeconds} s`,
      };
    case "blocked":
      return {
        outcome: "blocked",
        reason: outcome.reason,
        status: outcome.status,
        error: outcome.description,
      };
    case "unknown":
      return { outcome: "unknown", error: outcome.description };
    case "failed": {
      const { status, description: error } = outcome;
      if (status === 401 || status === 404) return { outcome: "released", status, error };
      if (!outcome.transient || attempts >= retry.maxAttempts) {
        return { outcome: "failed", status, error };
      }
      return { outcome: "retry", delayMs: retryDelayMs(attempts, retry, random), status, error };
    }
  }
}

function tally(
  counts: DrainCounts,
  result: DeliveryResult,
  rows: number,
  recorded: { cancelled: number; deactivated: boolean },
) {
  switch (result.outcome) {
    case "sent":
      counts.sent += rows;
      counts.messages++;
      break;
    case "rate_limited":
      counts.rate_limited++;
      break;
    case "retry":
      counts.retried += rows;
      break;
    case "failed":
      counts.failed += rows;
      break;
    case "unknown":
      counts.unknown += rows;
      break;
    case "blocked":
      counts.cancelled += rows + recorded.cancelled;
      if (recorded.deactivated) counts.blocked++;
      break;
    case "released":
      break;
  }
}

/** A few quick tries: recording an answer must survive a dropped connection. */
async function withRetries<T>(work: () => Promise<T>, log: Logger, tries = 3): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= tries) throw error;
      log.warn("alert outbox write failed, retrying", { attempt, error });
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** The scheduler's sleep: until a deadline, a wake-up (a send finished) or the abort. */
class Waker {
  #woken = false;
  #resolve: (() => void) | null = null;

  constructor(signal: AbortSignal) {
    signal.addEventListener("abort", () => this.wake(), { once: true });
  }

  /** Ends the current sleep, or the next one at once (a wake-up is never lost). */
  wake() {
    this.#woken = true;
    this.#resolve?.();
  }

  /** Sleeps at least until the next turn of the event loop, so that I/O always gets its turn. */
  async sleep(ms: number) {
    if (!this.#woken) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#resolve = resolve;
        timer = setTimeout(resolve, Math.max(0, ms));
      });
      clearTimeout(timer);
      this.#resolve = null;
    }
    this.#woken = false;
  }
}
