// /health: the state of each dependency, probed in parallel, each under a timeout. Only the
// database is required; a cache outage degrades the app but it keeps serving (status 200).
import type { AppContext } from "./context.ts";

export type CheckStatus = "up" | "down" | "configured" | "not_configured";

export interface CheckReport {
  status: CheckStatus;
  required: boolean;
  /** Which adapter is in use ("postgres", "embedded", "redis", "memory", "openai", …). */
  kind: string;
  latencyMs?: number;
  /** A short, generic reason: /health is public, so no hostnames or driver messages. */
  error?: string;
  detail?: string;
  /** Which LLM providers have a key (never the key itself). */
  keys?: Record<string, boolean>;
}

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  checks: Record<string, CheckReport>;
}

export interface HealthCheck {
  name: string;
  required: boolean;
  kind: string;
  /** Resolves when the dependency answers; without a probe the check only reports its setup. */
  probe?: () => Promise<void>;
  /** The status reported when there is no probe. */
  status?: CheckStatus;
  detail?: string;
  keys?: Record<string, boolean>;
}

export const HEALTH_TIMEOUT_MS = 2_000;

/** The dependencies of this app, probed where a probe costs nothing (no paid API calls). */
export function healthChecks(app: AppContext): HealthCheck[] {
  const { config, embedder } = app;
  const embedderKind = embedder.name.split(":")[0];
  return [
    { name: "database", required: true, kind: app.db.kind, probe: () => app.db.ping() },
    { name: "cache", required: false, kind: app.cache.kind, probe: () => app.cache.ping() },
    { name: "vectors", required: false, kind: app.vectors.kind, probe: () => app.vectors.ping() },
    {
      name: "embedder",
      required: false,
      kind: embedderKind,
      // An API embedder is not called here: /health must not spend tokens.
      status: embedderKind === "offline" ? "up" : "configured",
      detail: embedder.id,
    },
    {
      name: "llm",
      required: false,
      kind: config.openaiApiKey || config.openrouterApiKey ? "api" : "builtin",
      status: config.openaiApiKey || config.openrouterApiKey ? "configured" : "up",
      keys: { openai: Boolean(config.openaiApiKey), openrouter: Boolean(config.openrouterApiKey) },
    },
    // The bot's state as it stands (lib/telegram/runtime.ts): never required.
    ...(app.telegram ? [app.telegram.healthCheck()] : []),
  ];
}

class Timeout extends Error {}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function run(check: HealthCheck, timeoutMs: number): Promise<CheckReport> {
  const report: CheckReport = {
    status: check.status ?? "up",
    required: check.required,
    kind: check.kind,
  };
  if (check.detail) report.detail = check.detail;
  if (check.keys) report.keys = check.keys;
  if (!check.probe) return report;
  const started = performance.now();
  try {
    // A probe that throws synchronously is as down as one that rejects.
    await withTimeout(Promise.resolve().then(check.probe), timeoutMs);
    report.status = "up";
  } catch (error) {
    report.status = "down";
    report.error = error instanceof Timeout ? `no answer within ${timeoutMs} ms` : "unreachable";
  }
  report.latencyMs = Math.round(performance.now() - started);
  return report;
}

export async function checkHealth(
  checks: HealthCheck[],
  timeoutMs = HEALTH_TIMEOUT_MS,
): Promise<HealthReport> {
  const reports = await Promise.all(checks.map((check) => run(check, timeoutMs)));
  const down = reports.filter((report) => report.status === "down");
  const status = down.some((report) => report.required)
    ? "down"
    : down.length || reports.some((report) => report.status === "not_configured")
    ? "degraded"
    : "ok";
  return { status, checks: Object.fromEntries(checks.map((check, i) => [check.name, reports[i]])) };
}

/** 503 only when a required dependency is down: load balancers then take the process out. */
export function healthStatusCode(report: HealthReport): 200 | 503 {
  return report.status === "down" ? 503 : 200;
}
