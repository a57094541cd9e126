// What alerts cost the predict job: the time to store 1,000 live predictions (10 stocks × 5 models
// × 20 days, one transaction each, as lib/predict/predict.ts stores them) into a database without
// subscriptions, and into one with 100 subscriptions of 100 chats (strong, consensus, flip and
// win-rate rules, some on one stock, some on any), as a ratio. The old path, a bare insert with
// no transaction and no alert, is timed too. Each case gets a fresh database: embedded PGlite,
// and when DATABASE_URL is set, a database on that server. The cases take turns for ROUNDS rounds
// and each reports its median: the machine is shared, single runs wander.
//   deno run -A bench/alerts_enqueue.ts [--embedded | --postgres]
import type { Sql } from "postgres";
import { loadConfig } from "../lib/config.ts";
import { WinRateCache } from "../lib/alerts/enqueue.ts";
import { storePrediction } from "../lib/predict/predict.ts";
import type { Direction } from "../lib/predict/types.ts";
import { insertPrediction, type NewPrediction } from "../lib/predictions/store.ts";
import { openTestDatabase, type TestDatabase } from "../tests/support/database.ts";

const STOCKS = 10;
const MODELS = 5;
const DAYS = 20;
const SUBSCRIPTIONS = 100;
const ROUNDS = 3;
const config = loadConfig({});

/** A small seeded generator (mulberry32): every case stores the same predictions. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface World {
  stocks: { id: number; symbol: string; name: string }[];
  models: { id: number; name: string }[];
}

async function world(sql: Sql): Promise<World> {
  const stocks = await sql<World["stocks"]>`
    insert into stock (symbol, exchange, name)
    select 'S' || s, 'BENCH', 'Bench ' || s from generate_series(1, ${STOCKS}) s
    returning id, symbol, name`;
  const models = await sql<World["models"]>`
    insert into model (name, provider, model_id)
    select 'bench-' || m, 'builtin', 'momentum' from generate_series(1, ${MODELS}) m
    returning id, name`;
  return { stocks: [...stocks], models: [...models] };
}

/** 100 chats with one rule each, a mix of rules, stocks, frequencies and digests. */
async function subscribe(sql: Sql, { stocks, models }: World): Promise<void> {
  const next = random(7);
  for (let i = 0; i < SUBSCRIPTIONS; i++) {
    await sql`insert into telegram_chat (chat_id, kind) values (${1_000 + i}, 'private')`;
    const stockId = i % 2 === 0 ? stocks[i % STOCKS].id : null;
    const rule = i < 50 ? "strong" : i < 70 ? "consensus" : i < 90 ? "flip" : "win_rate";
    await sql`
      insert into alert_subscription (chat_id, rule, stock_id, model_id, min_confidence,
        min_models, win_rate_below, frequency, digest)
      values (${1_000 + i}, ${rule}, ${stockId},
        ${rule === "strong" && i % 5 === 0 ? models[i % MODELS].id : null},
        ${rule === "strong" ? 0.6 + next() * 0.35 : 0}, ${rule === "consensus" ? 3 : null},
        ${rule === "win_rate" ? 0.5 : null},
        ${i % 10 === 1 ? "daily" : i % 20 === 3 ? "once" : "every"}, ${i % 10 === 7})`;
  }
}

/** The 1,000 predictions, day by day, stock by stock, model by model (as the job makes them). */
function predictions({ stocks, models }: World): (NewPrediction & { names: Names })[] {
  const next = random(42);
  const directions: Direction[] = ["up", "down", "flat"];
  const all = [];
  for (let day = 0; day < DAYS; day++) {
    for (const stock of stocks) {
      for (const model of models) {
        all.push({
          modelId: model.id,
          stockId: stock.id,
          asOf: new Date(Date.UTC(2024, 0, 2 + day, 21)),
          horizon: 1,
          direction: directions[Math.floor(next() * 3)],
          confidence: 0.5 + next() * 0.5,
          reasoning: "Benchmark.",
          citedNewsIds: [],
          shownNewsIds: [],
          promptId: null,
          abTestId: null,
          variant: null,
          mode: "live" as const,
          contaminated: false,
          inputTokens: null,
          outputTokens: null,
          cost: null,
          latencyMs: null,
          inputsHash: "0".repeat(64),
          runRecord: {},
          names: { symbol: stock.symbol, stockName: stock.name, modelName: model.name },
        });
      }
    }
  }
  return all;
}

type Names = { symbol: string; stockName: string; modelName: string };
type Case = "bare insert" | "no subscriptions" | "100 subscriptions";

async function timeCase(name: Case, open: () => Promise<TestDatabase>) {
  await using db = await open();
  const w = await world(db.sql);
  if (name === "100 subscriptions") await subscribe(db.sql, w);
  const app = { db, config };
  const winRates = new WinRateCache();
  const started = performance.now();
  for (const { names, ...p } of predictions(w)) {
    if (name === "bare insert") await insertPrediction(db.sql, p);
    else await storePrediction(app, p, names, { winRates });
  }
  const ms = performance.now() - started;
  const [{ alerts }] = await db.sql<{ alerts: number }[]>`
    select count(*)::int as alerts from alert_outbox`;
  return { ms, alerts };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function run(label: string, open: () => Promise<TestDatabase>) {
  const rounds = new Map<Case, { ms: number[]; alerts: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ["bare insert", "no subscriptions", "100 subscriptions"] as const) {
      const { ms, alerts } = await timeCase(name, open);
      const seen = rounds.get(name) ?? { ms: [], alerts };
      seen.ms.push(ms);
      rounds.set(name, seen);
    }
  }
  const results = new Map(
    [...rounds].map(([name, { ms, alerts }]) => [name, { ms: median(ms), alerts }]),
  );
  const base = results.get("bare insert")!.ms;
  const none = results.get("no subscriptions")!.ms;
  console.log(`\n${label}: 1,000 live predictions, one at a time (median of ${ROUNDS})`);
  for (const [name, { ms, alerts }] of results) {
    console.log(
      `  ${name.padEnd(18)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / 1000).toFixed(2)} ms each` +
        `  ×${(ms / base).toFixed(2)} bare  ×${(ms / none).toFixed(2)} no-subscriptions` +
        `  ${alerts} alerts`,
    );
  }
}

const only = Deno.args[0];
if (only !== "--postgres") await run("embedded", () => openTestDatabase({ embedded: true }));
if (only !== "--embedded") {
  if (Deno.env.get("DATABASE_URL")) await run("postgres", () => openTestDatabase());
  else console.log("\npostgres: skipped (DATABASE_URL unset)");
}
