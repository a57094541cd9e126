// Metrics an operator alerts on, read from Postgres when /metrics is scraped: job durations and
// last successes, the alert outbox, LLM tokens and cost per model, the embedding backlog. The
// reads are one read-only transaction, reused for `cacheMs`, so however often (and however many
// scrapers) ask, the database answers at most once per period per process.
import { pendingNewsCount } from "../embed/store.ts";
import type { Sql } from "postgres";
import type { Logger } from "../log.ts";
import type { Registry } from "../metrics.ts";
import { jobDurations, lastJobSuccess, llmUsage, outboxDepth } from "./metrics_queries.ts";

/** Seconds: jobs run from well under a second (alerts) to many minutes (a full crawl, a replay). */
export const JOB_DURATION_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** Statuses shown even at zero, so that an alert on one of them never sees a missing series. */
const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed", "cancelled", "unknown"];

export const OPS_METRICS_CACHE_MS = 5_000;

/** A read that takes longer is abandoned (and reported): a scrape must never load the database. */
const STATEMENT_TIMEOUT_MS = 5_000;

export interface OpsMetricsSource {
  sql: Sql;
  /** The current embedder's id: the backlog is news without its vector. */
  embedderId: string;
  log: Logger;
}

export interface OpsMetricsOptions {
  cacheMs?: number;
  /** Milliseconds, monotonic (tests move it). */
  now?: () => number;
}

export function registerOpsMetrics(
  registry: Registry,
  source: OpsMetricsSource,
  options: OpsMetricsOptions = {},
): void {
  const cacheMs = options.cacheMs ?? OPS_METRICS_CACHE_MS;
  const now = options.now ?? (() => performance.now());

  const up = registry.gauge({
    name: "craveny_ops_metrics_up",
    help: "1 when the last read of the craveny_* metrics below from Postgres succeeded, else 0.",
  });
  const durations = registry.histogram({
    name: "craveny_job_run_duration_seconds",
    help: "Duration of finished job runs (job_run), by job and final status.",
    labelNames: ["job", "status"],
    buckets: JOB_DURATION_BUCKETS,
  });
  const lastSuccess = registry.gauge({
    name: "craveny_job_last_success_timestamp_seconds",
    help: "When each job last finished a run that succeeded (or partially succeeded), Unix time.",
    labelNames: ["job"],
  });
  const outbox = registry.gauge({
    name: "craveny_alert_outbox_messages",
    help: "Alert outbox rows by status.",
    labelNames: ["status"],
  });
  const tokens = registry.counter({
    name: "craveny_llm_tokens_total",
    help: "LLM tokens used per model, predictions and failed calls together.",
    labelNames: ["model", "direction"],
  });
  const cost = registry.counter({
    name: "craveny_llm_cost_usd_total",
    help: "LLM spending per model in US dollars, predictions and failed calls together.",
    labelNames: ["model"],
  });
  const calls = registry.counter({
    name: "craveny_llm_calls_total",
    help: "LLM calls per model by outcome: a stored prediction, or a failed attempt.",
    labelNames: ["model", "outcome"],
  });
  const backlog = registry.gauge({
    name: "craveny_news_embedding_backlog",
    help: "News items waiting for a vector of the current embedder.",
    labelNames: ["embedder"],
  });
  const fromDatabase = [durations, lastSuccess, outbox, tokens, cost, calls, backlog];

  const refresh = async () => {
    try {
      // One snapshot, one connection, one query after another.
      const data = await source.sql.begin("read only", async (tx) => {
        await tx`select set_config('statement_timeout', ${String(STATEMENT_TIMEOUT_MS)}, true)`;
        return {
          durations: await jobDurations(tx, JOB_DURATION_BUCKETS),
          lastSuccess: await lastJobSuccess(tx),
          outbox: await outboxDepth(tx),
          llm: await llmUsage(tx),
          backlog: await pendingNewsCount(tx, source.embedderId),
        };
      });
      for (const metric of fromDatabase) metric.reset();
      for (const { job, status, counts, sum } of data.durations) {
        durations.setCounts({ job, status }, counts, sum);
      }
      for (const { job, at } of data.lastSuccess) lastSuccess.set({ job }, at);
      for (const status of OUTBOX_STATUSES) outbox.set({ status }, 0);
      for (const { status, messages } of data.outbox) outbox.set({ status }, messages);
      for (const usage of data.llm) {
        tokens.set({ model: usage.model, direction: "input" }, usage.inputTokens);
        tokens.set({ model: usage.model, direction: "output" }, usage.outputTokens);
        cost.set({ model: usage.model }, usage.cost);
        calls.set({ model: usage.model, outcome: "prediction" }, usage.predictions);
        calls.set({ model: usage.model, outcome: "failed" }, usage.failedAttempts);
      }
      backlog.set({ embedder: source.embedderId }, data.backlog);
      up.set(undefined, 1);
    } catch (error) {
      // Stale numbers would look current: drop them until a read succeeds again.
      for (const metric of fromDatabase) metric.reset();
      up.set(undefined, 0);
      source.log.warn("operational metrics unavailable", { error });
    }
  };

  let freshUntil = -Infinity;
  let running: Promise<void> | null = null;
  registry.onScrape(async () => {
    if (now() < freshUntil) return;
    // Concurrent scrapes share one read.
    running ??= refresh().finally(() => {
      freshUntil = now() + cacheMs;
      running = null;
    });
    await running;
  });
}
