// The alert rules (issue 8), pure: given what caused a possible alert (a new live prediction, the
// evaluate job's win rates, a failed job) and the facts loaded for it, which subscriptions trigger
// and which alert_outbox rows to write. lib/alerts/enqueue.ts loads the facts and writes the rows
// in the transaction that stored the cause.
//
// One row per chat and event: a chat whose several subscriptions match the same prediction gets
// one alert, and every one of those subscriptions counts as triggered (when the row is new). Only
// `once` and `daily` rules keep trigger state (active, last_triggered_at): `every` rules need
// none, and stamping a popular rule on each of its alerts would make it a hot row every predict
// worker queues on.
import type { Config } from "../config.ts";
import type { MetricsSummary } from "../evaluate/types.ts";
import { metricsView } from "../api/evaluations_metrics.ts";
import { judgeTrust } from "../overview/trust.ts";
import type { Direction } from "../predict/types.ts";
import type {
  AlertFrequency,
  AlertKind,
  AlertPayload,
  AlertPrediction,
  AlertRule,
  WinRateSummary,
} from "./types.ts";

/** An active subscription of an active chat, as the rules read it. */
export interface Subscription {
  id: number;
  chatId: number;
  rule: AlertRule;
  /** Null: any stock / any model / any direction. */
  stockId: number | null;
  /** The stock's symbol when `stockId` is set. */
  symbol: string | null;
  modelId: number | null;
  direction: Direction | null;
  minConfidence: number;
  /** Consensus rules only. */
  minModels: number | null;
  /** Win-rate rules only. */
  winRateBelow: number | null;
  frequency: AlertFrequency;
  expiresAt: Date | null;
  /** Collected into the chat's daily digest instead of sent at once. */
  digest: boolean;
  lastTriggeredAt: Date | null;
}

export type AlertTiming = Pick<Config["alerts"], "digestHourUtc">;

/** An alert_outbox row to insert (on conflict of its idempotency key: nothing). */
export interface OutboxRow {
  idempotencyKey: string;
  chatId: number;
  /** The subscription the alert is for (at once before digest, then lowest id); null: none. */
  subscriptionId: number | null;
  predictionId: number | null;
  kind: AlertKind;
  payload: AlertPayload;
  /** Rows of one key due together go out as one message (lib/alerts/dispatch.ts). */
  collapseKey: string;
  nextAttemptAt: Date;
  /**
   * The `once` and `daily` subscriptions this row fulfils: if it is inserted they are stamped
   * triggered (last_triggered_at) and `once` ones deactivated.
   */
  triggered: number[];
}

export interface Decision {
  rows: OutboxRow[];
  /** Subscriptions whose expiry has passed: deactivated, never triggered. */
  expired: number[];
}

/** Another active model's prediction for the same stock, as_of and horizon. */
export interface Peer {
  modelId: number;
  modelName: string;
  direction: Direction;
  confidence: number;
}

/** What a new live prediction is judged with. */
export interface PredictionFacts {
  prediction: AlertPrediction;
  stockId: number;
  /**
   * Active models' predictions for the same stock, as_of and horizon, this one included (one per
   * model: the unique key). Only consensus rules read it.
   */
  peers: readonly Peer[];
  /**
   * The model's latest earlier live up-or-down prediction on the stock and horizon; null when it
   * has none. Only flip rules read it.
   */
  previous: { direction: Direction; asOf: Date } | null;
}

/** YYYY-MM-DD of `at` in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The first digest time (`hour`:00 UTC) strictly after `now`. */
export function nextDigestAt(now: Date, hour: number): Date {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  return today > now ? today : new Date(today.getTime() + 86_400_000);
}

/**
 * Whether `subscription` may trigger at `now`: a daily rule at most once per UTC day. (A once
 * rule is deactivated by its first trigger, so an active one may; expiry is checked apart.)
 */
function mayTrigger(subscription: Subscription, now: Date): boolean {
  if (subscription.frequency !== "daily" || subscription.lastTriggeredAt === null) return true;
  return utcDay(subscription.lastTriggeredAt) < utcDay(now);
}

function isExpired(subscription: Subscription, now: Date): boolean {
  return subscription.expiresAt !== null && subscription.expiresAt <= now;
}

/** A flip is a reversal of a call: up after down or down after up. Flat is no call either way. */
export function isFlip(previous: Direction, next: Direction): boolean {
  return previous !== "flat" && next !== "flat" && previous !== next;
}

/**
 * Whether the agreeing models satisfy the rule: at least `minModels` of them, the subscription's
 * model among them when it names one.
 */
function consensusHolds(subscription: Subscription, agreeing: readonly Peer[]): boolean {
  return agreeing.length >= (subscription.minModels ?? Infinity) &&
    (subscription.modelId === null || agreeing.some((p) => p.modelId === subscription.modelId));
}

/** What one subscription makes of one event. */
interface Match {
  key: string;
  /** The collapse key when sent at once: the chat's alerts on one stock and model, or model. */
  topic: string;
  payload: AlertPayload;
}

function predictionTopic(chatId: number, facts: PredictionFacts): string {
  return `${chatId}:${facts.stockId}:${facts.prediction.modelId}`;
}

function matchPrediction(subscription: Subscription, facts: PredictionFacts): Match | null {
  const { prediction: p, stockId } = facts;
  const s = subscription;
  if (s.stockId !== null && s.stockId !== stockId) return null;
  if (s.direction !== null && s.direction !== p.direction) return null;
  switch (s.rule) {
    case "strong":
      if (s.modelId !== null && s.modelId !== p.modelId) return null;
      if (p.confidence < s.minConfidence) return null;
      return {
        key: `strong:${p.id}:${s.chatId}`,
        topic: predictionTopic(s.chatId, facts),
        payload: { kind: "prediction", rule: "strong", prediction: p },
      };
    case "flip": {
      const { previous } = facts;
      if (s.modelId !== null && s.modelId !== p.modelId) return null;
      if (p.confidence < s.minConfidence) return null;
      if (previous === null || !isFlip(previous.direction, p.direction)) return null;
      return {
        key: `flip:${p.id}:${s.chatId}`,
        topic: predictionTopic(s.chatId, facts),
        payload: {
          kind: "prediction",
          rule: "flip",
          prediction: p,
          previousDirection: previous.direction,
          previousAsOf: previous.asOf.toISOString(),
        },
      };
    }
    case "consensus": {
      // A model agrees when it calls the same direction with at least the rule's confidence. The
      // rule triggers on the prediction that makes it hold: it held not without this one, so the
      // Nth agreeing model triggers it and the (N+1)th does not.
      const agreeing = facts.peers.filter((peer) =>
        peer.direction === p.direction && peer.confidence >= s.minConfidence
      );
      const before = agreeing.filter((peer) => peer.modelId !== p.modelId);
      if (before.length === agreeing.length) return null; // this prediction does not agree
      if (!consensusHolds(s, agreeing) || consensusHolds(s, before)) return null;
      return {
        key: `consensus:${stockId}:${p.asOf}:${p.horizon}:${p.direction}:${s.chatId}`,
        topic: predictionTopic(s.chatId, facts),
        payload: {
          kind: "prediction",
          rule: "consensus",
          prediction: p,
          agreeing: agreeing.map((peer) => peer.modelName).sort(),
          of: facts.peers.length,
        },
      };
    }
    case "win_rate":
      return null;
  }
}

/**
 * Turns each subscription's match into rows: one per idempotency key (a chat and event), sent at
 * once when any of the key's subscriptions wants it at once, else in the chat's next digest.
 */
function decide(
  subscriptions: readonly Subscription[],
  now: Date,
  timing: AlertTiming,
  match: (subscription: Subscription) => Match[],
  predictionId: number | null,
): Decision {
  const expired: number[] = [];
  const byKey = new Map<string, { match: Match; chatId: number; subscriptions: Subscription[] }>();
  for (const subscription of subscriptions) {
    if (isExpired(subscription, now)) {
      expired.push(subscription.id);
      continue;
    }
    if (!mayTrigger(subscription, now)) continue;
    for (const found of match(subscription)) {
      const entry = byKey.get(found.key) ??
        { match: found, chatId: subscription.chatId, subscriptions: [] };
      entry.subscriptions.push(subscription);
      byKey.set(found.key, entry);
    }
  }
  const rows = [...byKey.values()].map(({ match, chatId, subscriptions }): OutboxRow => {
    const lead = subscriptions.find((s) => !s.digest) ?? subscriptions[0];
    const dueAt = lead.digest ? nextDigestAt(now, timing.digestHourUtc) : now;
    return {
      idempotencyKey: match.key,
      chatId,
      subscriptionId: lead.id,
      predictionId,
      kind: match.payload.kind,
      payload: match.payload,
      collapseKey: lead.digest ? `digest:${chatId}:${utcDay(dueAt)}` : match.topic,
      nextAttemptAt: dueAt,
      triggered: subscriptions.filter((s) => s.frequency !== "every").map((s) => s.id),
    };
  });
  return { rows, expired };
}

/** The alerts a new live prediction raises among the subscriptions loaded for it. */
export function decidePredictionAlerts(
  subscriptions: readonly Subscription[],
  facts: PredictionFacts,
  now: Date,
  timing: AlertTiming,
): Decision {
  return decide(
    subscriptions,
    now,
    timing,
    (subscription) => {
      const found = matchPrediction(subscription, facts);
      return found ? [found] : [];
    },
    facts.prediction.id,
  );
}

/** An active model's current win rate (null before it has decided predictions). */
export interface ModelWinRate {
  modelId: number;
  modelName: string;
  winRate: WinRateSummary | null;
}

/**
 * A model's current win rate as the leaderboard judges it (lib/overview/trust.ts): its all-time
 * clean record, live once that has enough scored predictions, replay until then.
 */
export function currentWinRate(
  live: MetricsSummary | null,
  replay: MetricsSummary | null,
): WinRateSummary | null {
  const views = { live: metricsView(live), replay: metricsView(replay) };
  const basis = judgeTrust(views.live, views.replay).basis;
  if (basis === null) return null;
  const { winRate, wins, losses } = views[basis];
  return winRate && { rate: winRate.value, low: winRate.low, high: winRate.high, n: wins + losses };
}

/**
 * Win-rate alerts after the evaluate job recomputed the metrics: each subscribed model (any
 * active model when the rule names none) whose current win rate is below the rule's threshold.
 * The rate is a state, not an event, so whatever the frequency a chat hears about a model at most
 * once per UTC day (the day is in the key); `once` rules are deactivated by their first trigger.
 */
export function decideWinRateAlerts(
  subscriptions: readonly Subscription[],
  models: readonly ModelWinRate[],
  now: Date,
  timing: AlertTiming,
): Decision {
  const day = utcDay(now);
  return decide(
    subscriptions.filter((s) => s.rule === "win_rate"),
    now,
    timing,
    (s) =>
      models.flatMap((model): Match[] => {
        const { winRate } = model;
        if (s.modelId !== null && s.modelId !== model.modelId) return [];
        if (winRate === null || s.winRateBelow === null || winRate.rate >= s.winRateBelow) {
          return [];
        }
        return [{
          key: `win_rate:${model.modelId}:${s.chatId}:${day}`,
          topic: `${s.chatId}:win_rate:${model.modelId}`,
          payload: {
            kind: "win_rate",
            modelId: model.modelId,
            modelName: model.modelName,
            winRate,
            threshold: s.winRateBelow,
            symbol: s.symbol,
          },
        }];
      }),
    null,
  );
}

/** A job run that failed, for the admin chats. */
export interface JobFailure {
  job: string;
  /** Null when the run failed before it was recorded. */
  runId: number | null;
  error: string;
  at: Date;
}

/** Job errors are cut to this many characters: the run's record keeps the whole text. */
const MAX_ERROR = 1_000;

/** One job-failure alert per admin chat, sent at once, collapsing per chat and job. */
export function jobFailureRows(chatIds: readonly number[], failure: JobFailure): OutboxRow[] {
  const { job, runId, at } = failure;
  // Without a run id the job and instant name the failure: a retried report is still one alert.
  const run = runId ?? `${job}:${at.toISOString()}`;
  const error = failure.error.length <= MAX_ERROR
    ? failure.error
    : `${failure.error.slice(0, MAX_ERROR - 1).replace(/[\uD800-\uDBFF]$/, "")}…`;
  return chatIds.map((chatId) => ({
    idempotencyKey: `job:${run}:${chatId}`,
    chatId,
    subscriptionId: null,
    predictionId: null,
    kind: "job_failure",
    payload: { kind: "job_failure", job, runId, error, at: at.toISOString() },
    collapseKey: `job:${chatId}:${job}`,
    nextAttemptAt: at,
    triggered: [],
  }));
}
