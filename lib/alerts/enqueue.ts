// Writing alerts into alert_outbox (issue 8) in the transaction that stored their cause: the facts
// each rule needs, loaded in a few index-friendly queries; the rows lib/alerts/rules.ts decides
// on, inserted once per idempotency key; and the subscriptions that triggered updated as their
// frequency says. The alerts job (lib/alerts/dispatch.ts) sends the rows.
//
// Only the subscriptions a decision would update are locked (decideLocked): two predict workers
// whose predictions trigger the same rule take turns on it, and the others never queue.
import type { ISql, Sql, TransactionSql } from "postgres";
import { latestSnapshots, modelSnapshot, type SnapshotKey } from "../evaluate/query.ts";
import type { Direction, PredictionMode } from "../predict/types.ts";
import {
  type AlertTiming,
  currentWinRate,
  decidePredictionAlerts,
  decideWinRateAlerts,
  type Decision,
  type JobFailure,
  jobFailureRows,
  type OutboxRow,
  type Peer,
  type Subscription,
} from "./rules.ts";
import type { AlertRule, WinRateSummary } from "./types.ts";

/** A prediction just stored, with the names its alert shows. */
export interface StoredPrediction {
  id: number;
  stockId: number;
  symbol: string;
  stockName: string;
  modelId: number;
  modelName: string;
  asOf: Date;
  horizon: number;
  direction: Direction;
  confidence: number;
  reasoning: string;
  mode: PredictionMode;
}

/** The whole-model clean snapshots the leaderboard judges a model by (all time). */
const WIN_RATE_KEYS: Record<PredictionMode, SnapshotKey> = {
  live: { mode: "live", population: "clean", windowDays: null },
  replay: { mode: "replay", population: "clean", windowDays: null },
};

/**
 * Models' current win rates for prediction alerts, each read once while the cache lives (one
 * predict run): the evaluate job changes them a few times a day at most. Only settled values are
 * kept, so no transaction ever waits on a query another one started.
 */
export class WinRateCache {
  readonly #rates = new Map<number, WinRateSummary | null>();

  async get(sql: ISql, modelId: number): Promise<WinRateSummary | null> {
    if (this.#rates.has(modelId)) return this.#rates.get(modelId) ?? null;
    const [live, replay] = await Promise.all([
      modelSnapshot(sql, modelId, WIN_RATE_KEYS.live),
      modelSnapshot(sql, modelId, WIN_RATE_KEYS.replay),
    ]);
    const rate = currentWinRate(
      live?.snapshot?.metrics ?? null,
      replay?.snapshot?.metrics ?? null,
    );
    this.#rates.set(modelId, rate);
    return rate;
  }
}

/**
 * Writes the alerts a just-stored prediction raises, in its transaction `tx`; returns how many
 * rows were new. Only live predictions raise alerts: replays rewrite history nobody should be
 * paged about.
 */
export async function enqueuePredictionAlerts(
  tx: TransactionSql,
  prediction: StoredPrediction,
  now: Date,
  timing: AlertTiming,
  winRates: WinRateCache = new WinRateCache(),
): Promise<number> {
  if (prediction.mode !== "live") return 0;
  const p = prediction;
  const subscriptions = await activeSubscriptions(tx, ["strong", "consensus", "flip"], p.stockId);
  if (subscriptions.length === 0) return 0;
  const wants = (rule: AlertRule) => subscriptions.some((s) => s.rule === rule);
  // Issued together: the transaction's connection pipelines them.
  const [peers, [previous = null], winRate] = await Promise.all([
    wants("consensus") ? consensusPeers(tx, p) : [],
    wants("flip") ? previousCall(tx, p) : [],
    winRates.get(tx, p.modelId),
  ]);
  const facts = {
    prediction: {
      id: p.id,
      symbol: p.symbol,
      stockName: p.stockName,
      modelId: p.modelId,
      modelName: p.modelName,
      direction: p.direction,
      confidence: p.confidence,
      horizon: p.horizon,
      asOf: p.asOf.toISOString(),
      reasoning: p.reasoning,
      winRate,
    },
    stockId: p.stockId,
    peers,
    previous,
  };
  const decision = await decideLocked(
    tx,
    subscriptions,
    (current) => decidePredictionAlerts(current, facts, now, timing),
  );
  return await apply(tx, decision, now);
}

/** Active models' predictions for the prediction's stock, as_of and horizon, its own included. */
async function consensusPeers(tx: TransactionSql, p: StoredPrediction): Promise<Peer[]> {
  return await tx<Peer[]>`
    select p.model_id as "modelId", m.name as "modelName", p.direction, p.confidence
    from prediction p join model m on m.id = p.model_id and m.active
    where p.stock_id = ${p.stockId} and p.as_of = ${p.asOf} and p.horizon = ${p.horizon}`;
}

/**
 * The model's latest earlier live up-or-down call on the stock and horizon. Flat is no call: a
 * model going up → flat → down has flipped, up → flat → up has not.
 */
async function previousCall(
  tx: TransactionSql,
  p: StoredPrediction,
): Promise<{ direction: Direction; asOf: Date }[]> {
  return await tx<{ direction: Direction; asOf: Date }[]>`
    select direction, as_of as "asOf" from prediction
    where model_id = ${p.modelId} and stock_id = ${p.stockId} and horizon = ${p.horizon}
      and as_of < ${p.asOf} and mode = 'live' and direction <> 'flat'
    order by as_of desc
    limit 1`;
}

/**
 * Writes win-rate alerts from the metrics the evaluate job just recomputed, in one transaction;
 * returns how many rows were new.
 */
export async function enqueueWinRateAlerts(
  sql: Sql,
  now: Date,
  timing: AlertTiming,
): Promise<number> {
  return await sql.begin(async (tx) => {
    const subscriptions = await activeSubscriptions(tx, ["win_rate"], null);
    if (subscriptions.length === 0) return 0;
    const [live, replay] = await Promise.all([
      latestSnapshots(tx, WIN_RATE_KEYS.live),
      latestSnapshots(tx, WIN_RATE_KEYS.replay),
    ]);
    const replayOf = new Map(replay.map((r) => [r.model.id, r.snapshot?.metrics ?? null]));
    const models = live.filter(({ model }) => model.active).map(({ model, snapshot }) => ({
      modelId: model.id,
      modelName: model.name,
      winRate: currentWinRate(snapshot?.metrics ?? null, replayOf.get(model.id) ?? null),
    }));
    const decision = await decideLocked(
      tx,
      subscriptions,
      (current) => decideWinRateAlerts(current, models, now, timing),
    );
    return await apply(tx, decision, now);
  });
}

/**
 * Writes a job-failure alert for every admin account linked to an active chat; returns how many
 * rows were new (none when the failure was already reported).
 */
export async function enqueueJobFailureAlerts(sql: ISql, failure: JobFailure): Promise<number> {
  const chats = await sql<{ chatId: number }[]>`
    select c.chat_id as "chatId"
    from app_user u join telegram_chat c on c.chat_id = u.telegram_chat_id and c.active
    where u.role = 'admin' and u.disabled_at is null
    order by c.chat_id`;
  return (await insertRows(sql, jobFailureRows(chats.map((c) => c.chatId), failure))).size;
}

/**
 * Active subscriptions of active chats to `rules`, about `stockId` or any stock (null: whatever
 * stock). Read without locks: decideLocked locks those that matter.
 */
async function activeSubscriptions(
  tx: TransactionSql,
  rules: readonly AlertRule[],
  stockId: number | null,
): Promise<Subscription[]> {
  const aboutStock = stockId === null
    ? tx`true`
    : tx`(s.stock_id = ${stockId} or s.stock_id is null)`;
  // Muted chats are included: their alerts wait in the outbox until the mute ends. The chat and
  // stock are looked up per subscription (primary keys), not joined: a join hashes every chat.
  return await tx<Subscription[]>`
    select s.id, s.chat_id as "chatId", s.rule, s.stock_id as "stockId",
      (select st.symbol from stock st where st.id = s.stock_id) as symbol,
      s.model_id as "modelId", s.direction, s.min_confidence as "minConfidence",
      s.min_models as "minModels", s.win_rate_below as "winRateBelow", s.frequency,
      s.expires_at as "expiresAt", s.digest, s.last_triggered_at as "lastTriggeredAt"
    from alert_subscription s
    where s.active and s.rule = any(${rules}::text[]) and ${aboutStock}
      and (select c.active from telegram_chat c where c.chat_id = s.chat_id)
      -- A disabled account's rules fall silent with it (rules without an owner have none).
      and not exists (select 1 from app_user u where u.id = s.user_id and u.disabled_at is not null)
    order by s.id`;
}

/**
 * Decides on `subscriptions` as read; then locks, in id order, those the decision would update
 * (triggered or expired), reads their state again and decides once more on what is committed. Of
 * two transactions triggering the same rule the second waits for the first's commit and sees it
 * (a `once` rule triggers once, a `daily` one once a day); rules that do not trigger are never
 * locked, so predict workers do not queue behind popular "any stock" rules. One ordered lock per
 * transaction cannot deadlock, and the update in `apply` touches locked rows only.
 */
async function decideLocked(
  tx: TransactionSql,
  subscriptions: readonly Subscription[],
  decide: (current: readonly Subscription[]) => Decision,
): Promise<Decision> {
  const first = decide(subscriptions);
  const touched = new Set([...first.rows.flatMap((row) => row.triggered), ...first.expired]);
  if (touched.size === 0) return first;
  const locked = await tx<{ id: number; active: boolean; lastTriggeredAt: Date | null }[]>`
    select id, active, last_triggered_at as "lastTriggeredAt" from alert_subscription
    where id = any(${[...touched]}::bigint[])
    order by id
    for update`;
  const state = new Map(locked.map((row) => [row.id, row]));
  return decide(subscriptions.flatMap((s) => {
    if (!touched.has(s.id)) return [s];
    const current = state.get(s.id);
    return current?.active ? [{ ...s, lastTriggeredAt: current.lastTriggeredAt }] : [];
  }));
}

/**
 * Inserts the decision's rows, then marks the subscriptions whose row was new as triggered (a
 * `once` rule is deactivated) and deactivates the expired ones; returns how many rows were new.
 */
async function apply(tx: TransactionSql, decision: Decision, now: Date): Promise<number> {
  const inserted = await insertRows(tx, decision.rows);
  const triggered = [
    ...new Set(
      decision.rows.filter((row) => inserted.has(row.idempotencyKey)).flatMap((r) => r.triggered),
    ),
  ];
  const { expired } = decision;
  if (triggered.length > 0 || expired.length > 0) {
    await tx`
      update alert_subscription set
        last_triggered_at = case when id = any(${triggered}::bigint[]) then ${now}
          else last_triggered_at end,
        active = not (id = any(${expired}::bigint[])
          or (frequency = 'once' and id = any(${triggered}::bigint[])))
      where id = any(${[...triggered, ...expired]}::bigint[])`;
  }
  return inserted.size;
}

/** Inserts `rows` in one statement, skipping existing idempotency keys; returns the new keys. */
async function insertRows(sql: ISql, rows: readonly OutboxRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const records = rows.map((row) => ({
    idempotency_key: row.idempotencyKey,
    chat_id: row.chatId,
    subscription_id: row.subscriptionId,
    prediction_id: row.predictionId,
    kind: row.kind,
    payload: row.payload,
    collapse_key: row.collapseKey,
    next_attempt_at: row.nextAttemptAt.toISOString(),
  }));
  const inserted = await sql<{ key: string }[]>`
    insert into alert_outbox (idempotency_key, chat_id, subscription_id, prediction_id, kind,
      payload, collapse_key, next_attempt_at)
    select r.idempotency_key, r.chat_id, r.subscription_id, r.prediction_id, r.kind, r.payload,
      r.collapse_key, r.next_attempt_at
    from jsonb_to_recordset(${sql.json(records as never)}) as r(idempotency_key text,
      chat_id bigint, subscription_id bigint, prediction_id bigint, kind text, payload jsonb,
      collapse_key text, next_attempt_at timestamptz)
    on conflict (idempotency_key) do nothing
    returning idempotency_key as key`;
  return new Set(inserted.map((row) => row.key));
}
