// The alert rules on hand-made cases: filters and thresholds, one row per chat and event,
// consensus on its Nth agreeing model only, flips, frequencies, expiry, digests, win rates and
// job failures.
import assert from "node:assert/strict";
import { testSummary } from "../../tests/support/evaluations.ts";
import { MIN_LIVE } from "../overview/trust.ts";
import type { Direction } from "../predict/types.ts";
import {
  currentWinRate,
  decidePredictionAlerts,
  decideWinRateAlerts,
  isFlip,
  jobFailureRows,
  type ModelWinRate,
  nextDigestAt,
  type Peer,
  type PredictionFacts,
  type Subscription,
} from "./rules.ts";
import type { AlertPrediction } from "./types.ts";

const NOW = new Date("2024-03-19T15:30:00Z");
const TIMING = { digestHourUtc: 22 };
const AAPL = 7;
const MSFT = 8;

function sub(id: number, fields: Partial<Subscription> = {}): Subscription {
  return {
    id,
    chatId: 100 + id,
    rule: "strong",
    stockId: null,
    symbol: null,
    modelId: null,
    direction: null,
    minConfidence: 0.7,
    minModels: null,
    winRateBelow: null,
    frequency: "every",
    expiresAt: null,
    digest: false,
    lastTriggeredAt: null,
    ...fields,
  };
}

const prediction: AlertPrediction = {
  id: 501,
  symbol: "AAPL",
  stockName: "Apple Inc.",
  modelId: 3,
  modelName: "momentum",
  direction: "up",
  confidence: 0.8,
  horizon: 5,
  asOf: "2024-03-18T20:00:00.000Z",
  reasoning: "Trend up.",
  winRate: { rate: 0.55, low: 0.5, high: 0.6, n: 300 },
};

function facts(fields: Partial<AlertPrediction> = {}, more: Partial<PredictionFacts> = {}) {
  const p = { ...prediction, ...fields };
  return {
    prediction: p,
    stockId: AAPL,
    peers: [{
      modelId: p.modelId,
      modelName: p.modelName,
      direction: p.direction,
      confidence: p.confidence,
    }],
    previous: null,
    ...more,
  };
}

const decide = (subs: Subscription[], f: PredictionFacts = facts(), now = NOW) =>
  decidePredictionAlerts(subs, f, now, TIMING);

Deno.test("strong: at or above the threshold, through every filter", () => {
  const subs = [
    sub(1, { minConfidence: 0.8 }), // equal: triggers
    sub(2, { minConfidence: 0.81 }),
    sub(3, { stockId: AAPL, modelId: 3, direction: "up" }),
    sub(4, { stockId: MSFT }),
    sub(5, { modelId: 4 }),
    sub(6, { direction: "down" }),
  ];
  const { rows, expired } = decide(subs);
  assert.deepEqual(expired, []);
  assert.deepEqual(rows.map((r) => r.subscriptionId), [1, 3]);
  assert.deepEqual(rows[0], {
    idempotencyKey: "strong:501:101",
    chatId: 101,
    subscriptionId: 1,
    predictionId: 501,
    kind: "prediction",
    payload: { kind: "prediction", rule: "strong", prediction },
    collapseKey: "101:7:3",
    nextAttemptAt: NOW,
    triggered: [],
  });
});

Deno.test("one row per chat and event; it goes out at once when any rule wants it at once", () => {
  const { rows } = decide([
    sub(1, { chatId: 42, digest: true, frequency: "daily" }),
    sub(2, { chatId: 42, stockId: AAPL, frequency: "once" }),
    sub(4, { chatId: 42, direction: "up" }),
    sub(3, { chatId: 43, digest: true }),
  ]);
  assert.equal(rows.length, 2);
  const [chat42, chat43] = rows;
  assert.equal(chat42.idempotencyKey, "strong:501:42");
  assert.equal(chat42.subscriptionId, 2);
  assert.deepEqual(chat42.triggered, [1, 2], "every rules keep no trigger state");
  assert.equal(chat42.collapseKey, "42:7:3");
  assert.equal(chat43.collapseKey, "digest:43:2024-03-19");
  assert.deepEqual(chat43.nextAttemptAt, new Date("2024-03-19T22:00:00Z"));
});

Deno.test("nextDigestAt: the next digest hour strictly after now", () => {
  assert.deepEqual(nextDigestAt(NOW, 22), new Date("2024-03-19T22:00:00Z"));
  assert.deepEqual(nextDigestAt(NOW, 15), new Date("2024-03-20T15:00:00Z"));
  assert.deepEqual(
    nextDigestAt(new Date("2024-03-19T22:00:00Z"), 22),
    new Date("2024-03-20T22:00:00Z"),
    "a digest going out now is not joined late",
  );
  assert.deepEqual(
    nextDigestAt(new Date("2024-12-31T23:59:00Z"), 0),
    new Date("2025-01-01T00:00:00Z"),
  );
});

Deno.test("frequency and expiry", () => {
  const { rows, expired } = decide([
    sub(1, { expiresAt: NOW }), // expiry is exclusive: at `now` it has lapsed
    sub(2, { expiresAt: new Date(NOW.getTime() + 1) }),
    sub(3, { frequency: "daily", lastTriggeredAt: new Date("2024-03-19T00:00:00Z") }),
    sub(4, { frequency: "daily", lastTriggeredAt: new Date("2024-03-18T23:59:59Z") }),
    sub(5, { frequency: "once" }),
    sub(6, { frequency: "every", lastTriggeredAt: NOW }),
  ]);
  assert.deepEqual(expired, [1]);
  assert.deepEqual(rows.map((r) => r.subscriptionId), [2, 4, 5, 6]);
});

/** Peers: one per model, `directions[i]` by model i + 1 with confidence 0.8 unless given. */
function peers(...directions: (Direction | [Direction, number])[]): Peer[] {
  return directions.map((d, i) => {
    const [direction, confidence] = Array.isArray(d) ? d : [d, 0.8];
    return { modelId: i + 1, modelName: `m${i + 1}`, direction, confidence };
  });
}

Deno.test("consensus: triggers on the Nth agreeing model, not before, not after", () => {
  const rule = sub(1, { rule: "consensus", minModels: 3, minConfidence: 0 });
  // The new prediction is model 3's: with two others up it is the third.
  const newest = { modelId: 3, modelName: "m3" };
  const at = (list: Peer[]) => decide([rule], facts(newest, { peers: list })).rows;

  assert.equal(at(peers("up", "down", "up")).length, 0, "two agree");
  const [row] = at(peers("up", "up", "up"));
  assert.equal(row.idempotencyKey, `consensus:7:${prediction.asOf}:5:up:101`);
  assert.deepEqual(row.payload, {
    kind: "prediction",
    rule: "consensus",
    prediction: { ...prediction, ...newest },
    agreeing: ["m1", "m2", "m3"],
    of: 3,
  });
  assert.equal(row.collapseKey, "101:7:3");
  assert.equal(at(peers("up", "up", "up", "up")).length, 0, "model 4 already made it three");
  assert.equal(at(peers("up", "up", "down")).length, 0, "the new prediction disagrees");
});

Deno.test("consensus: a model agrees only with enough confidence; a named model must be in", () => {
  const newest = { modelId: 3, modelName: "m3", confidence: 0.9 };
  const list = peers("up", ["up", 0.5], ["up", 0.9]);
  const rows = (s: Partial<Subscription>) =>
    decide([sub(1, { rule: "consensus", minModels: 2, ...s })], facts(newest, { peers: list }))
      .rows;
  assert.equal(rows({ minConfidence: 0 }).length, 0, "three agree: the second made it two");
  assert.equal(rows({ minConfidence: 0.6 }).length, 1, "model 2 is too unsure to count");
  assert.equal(rows({ minConfidence: 0, modelId: 3 }).length, 1, "holds first with model 3 in");
  assert.equal(rows({ minConfidence: 0, modelId: 9 }).length, 0, "model 9 is not in");
  assert.equal(rows({ minConfidence: 0, direction: "down" }).length, 0);
});

Deno.test("flip: a reversal of the model's previous call on the stock and horizon", () => {
  assert.equal(isFlip("up", "down"), true);
  assert.equal(isFlip("down", "up"), true);
  assert.equal(isFlip("up", "up"), false);
  assert.equal(isFlip("up", "flat"), false);
  assert.equal(isFlip("flat", "down"), false);
  const rule = sub(1, { rule: "flip", minConfidence: 0 });
  const previous = { direction: "up" as const, asOf: new Date("2024-03-15T20:00:00Z") };
  const down = facts({ direction: "down" }, { previous });
  const [row] = decide([rule], down).rows;
  assert.equal(row.idempotencyKey, "flip:501:101");
  assert.deepEqual(row.payload, {
    kind: "prediction",
    rule: "flip",
    prediction: { ...prediction, direction: "down" },
    previousDirection: "up",
    previousAsOf: "2024-03-15T20:00:00.000Z",
  });
  assert.equal(decide([rule], facts({}, { previous })).rows.length, 0, "up again");
  assert.equal(decide([rule], facts({ direction: "down" })).rows.length, 0, "no previous call");
  assert.equal(
    decide([{ ...rule, minConfidence: 0.9 }], down).rows.length,
    0,
    "an unsure flip is noise",
  );
});

Deno.test("win-rate and strong rules ignore each other's causes", () => {
  assert.equal(decide([sub(1, { rule: "win_rate", winRateBelow: 0.9 })]).rows.length, 0);
  const models = [{ modelId: 3, modelName: "momentum", winRate: prediction.winRate }];
  assert.equal(decideWinRateAlerts([sub(1)], models, NOW, TIMING).rows.length, 0);
});

Deno.test("win rate: below the threshold, once per chat, model and UTC day", () => {
  const rate = (value: number, n = 200) => ({
    rate: value,
    low: value - 0.05,
    high: value + 0.05,
    n,
  });
  const models: ModelWinRate[] = [
    { modelId: 3, modelName: "momentum", winRate: rate(0.45) },
    { modelId: 4, modelName: "gpt-4o", winRate: rate(0.5) },
    { modelId: 5, modelName: "new", winRate: null },
  ];
  const rule = (id: number, fields: Partial<Subscription>) =>
    sub(id, { rule: "win_rate", minConfidence: 0, winRateBelow: 0.5, ...fields });
  const { rows, expired } = decideWinRateAlerts(
    [
      rule(1, {}),
      rule(2, { modelId: 4, winRateBelow: 0.51, stockId: AAPL, symbol: "AAPL" }),
      rule(3, { frequency: "daily", lastTriggeredAt: new Date("2024-03-19T01:00:00Z") }),
      rule(4, { expiresAt: new Date("2024-03-01T00:00:00Z") }),
      rule(5, { digest: true }),
    ],
    models,
    NOW,
    TIMING,
  );
  assert.deepEqual(expired, [4]);
  assert.deepEqual(rows.map((r) => [r.idempotencyKey, r.collapseKey]), [
    ["win_rate:3:101:2024-03-19", "101:win_rate:3"],
    ["win_rate:4:102:2024-03-19", "102:win_rate:4"],
    ["win_rate:3:105:2024-03-19", "digest:105:2024-03-19"],
  ]);
  assert.deepEqual(rows[1].payload, {
    kind: "win_rate",
    modelId: 4,
    modelName: "gpt-4o",
    winRate: rate(0.5),
    threshold: 0.51,
    symbol: "AAPL",
  });
  assert.equal(rows[0].predictionId, null);
});

Deno.test("currentWinRate: the leaderboard's record — live once long enough, else replay", () => {
  const summary = (wins: number, losses: number, flats = 0) =>
    testSummary({
      n: wins + losses + flats,
      wins,
      losses,
      flats,
      winRate: { value: wins / (wins + losses), low: 0.1, high: 0.9 },
    });
  const replay = summary(60, 40, 5);
  assert.deepEqual(currentWinRate(null, replay), { rate: 0.6, low: 0.1, high: 0.9, n: 100 });
  assert.deepEqual(currentWinRate(summary(2, 2), replay)?.rate, 0.6, "live is too short yet");
  const live = summary(MIN_LIVE / 2, MIN_LIVE / 2);
  assert.deepEqual(currentWinRate(live, replay), { rate: 0.5, low: 0.1, high: 0.9, n: MIN_LIVE });
  assert.equal(currentWinRate(null, null), null);
  assert.equal(currentWinRate(testSummary({ n: 3, flats: 3 }), null), null, "no decided ones");
});

Deno.test("job failures: one row per admin chat, keyed by run", () => {
  const at = new Date("2024-03-19T10:00:00Z");
  const rows = jobFailureRows([11, -12], { job: "crawl", runId: 9, error: "boom", at });
  assert.deepEqual(rows.map((r) => [r.idempotencyKey, r.collapseKey, r.kind]), [
    ["job:9:11", "job:11:crawl", "job_failure"],
    ["job:9:-12", "job:-12:crawl", "job_failure"],
  ]);
  assert.deepEqual(rows[0].payload, {
    kind: "job_failure",
    job: "crawl",
    runId: 9,
    error: "boom",
    at: "2024-03-19T10:00:00.000Z",
  });
  const [unrecorded] = jobFailureRows([11], { job: "crawl", runId: null, error: "x", at });
  assert.equal(unrecorded.idempotencyKey, "job:crawl:2024-03-19T10:00:00.000Z:11");
  const [long] = jobFailureRows([11], { job: "crawl", runId: 1, error: "e".repeat(5_000), at });
  assert.equal(long.payload.kind === "job_failure" && long.payload.error.length, 1_000);
});
