// Test and bench support (not used by the app): a database filled through the app's own code, a
// fingerprint of it computed without the backup code (to compare a restore against), and a way to
// edit a backup file's contents (to make bad ones).
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { ISql } from "postgres";
import { createCrawlJob } from "../../jobs/crawl.ts";
import { createEmbedJob } from "../../jobs/embed.ts";
import { createEvaluateJob } from "../../jobs/evaluate.ts";
import { recordChat, saveRule } from "../alerts/subscriptions.ts";
import { refreshSession, startSession } from "../auth/sessions.ts";
import { loadConfig } from "../config.ts";
import type { Database } from "../db/port.ts";
import { runJob } from "../jobs/runner.ts";
import { createLogger } from "../log.ts";
import { DEFAULT_MODELS } from "../models/defaults.ts";
import { seedModels } from "../models/store.ts";
import { replayRecentHistory } from "../predict/seed_replay.ts";
import { upsertStocks } from "../stocks/store.ts";
import { DEFAULT_UNIVERSE } from "../stocks/universe.ts";
import { createLinkCode } from "../telegram/link_codes.ts";
import { openEmbedded } from "../db/embedded.ts";
import { createTestUser } from "../../tests/support/auth.ts";
import type { BackupHeader } from "./header.ts";
import { openTestContext } from "../../tests/support/context.ts";
import type { TestDatabase } from "../../tests/support/database.ts";

const quiet = createLogger("error", () => {});

export interface SeedOptions {
  /** Where the crawl's raw archive goes (the app's DATA_DIR). */
  dataDir: string;
  /** Equities crawled by the simulator (default 4). */
  stocks?: number;
  /** Trading days the built-in models are replayed over (default 15). */
  replayDays?: number;
}

/**
 * Fills `db` as the app would: the simulator's prices and news (crawl), their vectors' marks
 * (embed), the built-in models' predictions over recent history (replay) and their outcomes and
 * metrics (evaluate), two accounts with sessions (one rotated), a Telegram chat, a link code and
 * an alert rule. Every job must succeed.
 */
export async function seedLikeTheApp(db: Database, options: SeedOptions): Promise<void> {
  const equities = DEFAULT_UNIVERSE.filter((stock) => stock.assetClass !== "crypto")
    .slice(0, options.stocks ?? 4);
  await upsertStocks(db.sql, [...equities]);
  await seedModels(db.sql, [...DEFAULT_MODELS]);
  await using app = await openTestContext({
    db,
    log: quiet,
    config: loadConfig({
      SOURCES: "simulator",
      SIMULATOR_SEED: "42",
      SIMULATOR_START: "2025-06-02",
      SEED_REPLAY_DAYS: String(options.replayDays ?? 15),
      PREDICT_HORIZONS: "1,5",
      DATA_DIR: options.dataDir,
    }),
  });
  for (const job of [createCrawlJob(), createEmbedJob()]) {
    const outcome = await runJob(job, app);
    if (outcome.status !== "succeeded") throw new Error(`seed: ${JSON.stringify(outcome)}`);
  }
  // Replayed up to a fixed day well inside the simulated history, so every outcome is known.
  await replayRecentHistory(app, quiet, new AbortController().signal, new Date("2025-12-31"));
  const evaluated = await runJob(createEvaluateJob(), app);
  if (evaluated.status !== "succeeded") throw new Error(`seed: ${JSON.stringify(evaluated)}`);
  const client = { ip: "127.0.0.1", userAgent: "backup test" };
  const admin = await createTestUser(app, { role: "admin" });
  const investor = await createTestUser(app, { displayName: 'Investor, "quoted"\tand\ttabbed' });
  await startSession(app, admin, client);
  const session = await startSession(app, investor, client);
  await refreshSession(app, session.refreshToken, client);
  await recordChat(db.sql, { chatId: 4242, kind: "private", title: "investor\nchat" });
  await createLinkCode(db.sql, investor.id);
  await saveRule(db.sql, { chatId: 4242, userId: investor.id }, {
    rule: "strong",
    symbol: equities[0].symbol,
    model: null,
    direction: "up",
    minConfidence: 0.6,
    minModels: null,
    winRateBelow: null,
    frequency: "every",
    expiresOn: null,
    digest: false,
  });
}

/** Tables whose contents the round-trip tests compare row by row. */
export const KEY_TABLES = [
  "stock",
  "price_bar",
  "news",
  "news_stock",
  "model",
  "model_prompt",
  "prediction",
  "prediction_outcome",
  "app_user",
  "session",
  "job_run",
  "evaluation",
  "daily_performance",
  "alert_subscription",
] as const;

export interface Fingerprint {
  /** Rows of every table in schema public. */
  rows: Record<string, number>;
  /** md5 of each key table's rows as text, in id order. */
  md5: Record<string, string>;
}

/**
 * Row counts of every table and an md5 of each key table's rows, by plain SQL: what a restore is
 * compared with, independently of the backup code.
 */
export async function fingerprint(sql: ISql): Promise<Fingerprint> {
  const tables = await sql<{ name: string }[]>`
    select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
  const rows: Record<string, number> = {};
  for (const { name } of tables) {
    const [{ count }] = await sql<{ count: number }[]>`select count(*) as count from ${sql(name)}`;
    rows[name] = count;
  }
  const md5: Record<string, string> = {};
  for (const name of KEY_TABLES) {
    const [{ hash }] = await sql<{ hash: string }[]>`
      select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) as hash from ${sql(name)} t`;
    md5[name] = hash;
  }
  const [{ chats }] = await sql<{ chats: string }[]>`
    select md5(coalesce(string_agg(t::text, ',' order by t.chat_id), '')) as chats
    from telegram_chat t`;
  md5.telegram_chat = chats;
  return { rows, md5 };
}

/** Every index and constraint of schema public with its definition, sorted: the schema's shape. */
export async function schemaShape(sql: ISql): Promise<string[]> {
  const rows = await sql<{ item: string }[]>`
    select tablename || ' ' || indexname || ': ' || indexdef as item
    from pg_indexes where schemaname = 'public'
    union all
    select t.relname || ' ' || c.conname || ': ' || pg_get_constraintdef(c.oid)
    from pg_constraint c join pg_class t on t.oid = c.conrelid
    where c.connamespace = 'public'::regnamespace
    order by 1`;
  return rows.map((row) => row.item);
}

/** A backup file's contents, decompressed: the header as parsed JSON and each table's lines. */
export interface BackupContents {
  header: BackupHeader;
  /** Row lines (without "\n") by table name. */
  tables: Map<string, string[]>;
}

/**
 * Writes `to` with the contents of the backup `from` after `edit`, as one gzip member. With
 * `recount`, each table's row count and sha-256 in the header are recomputed from its lines
 * (a consistent file whose data was changed); without, they are left as they were.
 */
export async function rewriteBackup(
  from: string,
  to: string,
  edit: (contents: BackupContents) => void,
  options: { recount?: boolean } = {},
): Promise<void> {
  const text = gunzipSync(await Deno.readFile(from)).toString("utf8");
  const [headerLine, ...lines] = text.slice(0, -1).split("\n");
  const contents: BackupContents = { header: JSON.parse(headerLine), tables: new Map() };
  let index = 0;
  for (const table of contents.header.tables) {
    const rows: string[] = [];
    while (lines[index] !== "\\.") rows.push(lines[index++]);
    index++;
    contents.tables.set(table.name, rows);
  }
  edit(contents);
  let body = "";
  for (const table of contents.header.tables) {
    const rows = contents.tables.get(table.name) ?? [];
    const data = rows.map((row) => `${row}\n`).join("");
    if (options.recount) {
      table.rows = rows.length;
      table.sha256 = createHash("sha256").update(data).digest("hex");
    }
    body += `${data}\\.\n`;
  }
  await Deno.writeFile(to, gzipSync(`${JSON.stringify(contents.header)}\n${body}`));
}

/**
 * The environment that points a task subprocess at `db`. An embedded one must be closed first
 * (one process at a time may open a data directory); `usingDatabase` opens it again afterwards.
 */
export function taskEnv(db: TestDatabase): Record<string, string> {
  if (db.kind === "embedded") return { DATABASE_URL: "", DATA_DIR: db.location };
  const url = new URL(Deno.env.get("DATABASE_URL")!);
  url.pathname = `/${db.location}`;
  return { DATABASE_URL: url.href };
}

/** Runs `work` on `db`, reopening an embedded one that was closed for a subprocess. */
export async function usingDatabase<T>(db: TestDatabase, work: (sql: ISql) => Promise<T>) {
  if (db.kind !== "embedded") return await work(db.sql);
  const reopened = await openEmbedded(db.location, quiet);
  try {
    return await work(reopened.sql);
  } finally {
    await reopened.close();
  }
}
