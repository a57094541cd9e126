// The only module that reads the environment. Everything else receives a validated `Config`.

export class ConfigError extends Error {
  constructor(readonly variable: string, expected: string, got?: string) {
    super(
      `${variable}: expected ${expected}${got === undefined ? "" : `, got ${JSON.stringify(got)}`}`,
    );
    this.name = "ConfigError";
  }
}

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface JobSchedules {
  crawl: string;
  embed: string;
  predict: string;
  evaluate: string;
  alerts: string;
  housekeep: string;
}

export const SOURCE_NAMES = ["simulator", "yahoo", "stooq", "coingecko", "feeds"] as const;
export type SourceName = typeof SOURCE_NAMES[number];

/** Vector index types Milvus builds for new collections (Milvus Lite 3.2 supports each one). */
export const MILVUS_INDEX_TYPES = ["HNSW", "IVF_FLAT", "FLAT", "AUTOINDEX"] as const;
export type MilvusIndexType = typeof MILVUS_INDEX_TYPES[number];

export interface Config {
  port: number;
  hostname: string;
  /** Production Postgres; unset → embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Production Redis; unset → in-process cache. */
  redisUrl?: string;
  /** Production Milvus; unset → in-process vector index. */
  milvusAddress?: string;
  /** Index built for new Milvus collections (cosine metric); existing indexes are kept. */
  milvusIndex: MilvusIndexType;
  /** Deadline of one Milvus call (connect, search, upsert…). */
  milvusTimeoutMs: number;
  openaiApiKey?: string;
  openrouterApiKey?: string;
  /** An OpenAI-compatible API (a proxy, a local server); unset → OpenAI, or OpenRouter's URL. */
  openaiBaseUrl?: string;
  /** The API embedder's model (unused offline: the offline embedder has its own). */
  embeddingModel: string;
  /** The API embedder's vector length (the offline embedder always makes 384). */
  embeddingDimensions: number;
  /** The address investors reach Craveny at: links in alerts, the Telegram webhook URL. */
  publicUrl: string;
  telegram: {
    /** Unset: the bot is off, alerts stay in the outbox and are logged. */
    botToken?: string;
    /** webhook (production, needs `webhookSecret` and an https `publicUrl`) or long polling. */
    mode: "webhook" | "polling";
    /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token; other webhook calls get 401. */
    webhookSecret?: string;
    /** The Bot API server (a local one in tests). */
    apiRoot: string;
  };
  alerts: {
    /** Alerts for one chat, stock and model within this many minutes collapse into one message. */
    cooldownMinutes: number;
    /** UTC hour at which daily digests go out. */
    digestHourUtc: number;
    /** An alert not delivered within this many hours is cancelled instead of sent late. */
    maxAgeHours: number;
    /** Telegram's limits, kept below: messages per second overall, per chat, per group per minute. */
    limits: { globalPerSecond: number; chatPerSecond: number; groupPerMinute: number };
  };
  /** How long shutdown waits for in-flight requests and running jobs before exiting anyway. */
  shutdownTimeoutMs: number;
  backup: {
    /** Where `deno task backup` writes timestamped files. */
    dir: string;
    /** Backups kept; older ones are deleted after a successful backup. */
    keep: number;
  };
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /** Run Deno.cron schedules in this process. */
  jobsEnabled: boolean;
  schedules: JobSchedules;
  /** Days of operational history kept (job runs, alert deliveries): lib/ops/retention.ts. */
  retentionDays: number;
  /** How long a job lock is held before another process may take it over. */
  jobLockTtlMs: number;
  /** Market and news sources the crawl job uses. */
  sources: SourceName[];
  /** The offline simulator: same seed and start → byte-identical data. */
  simulator: { seed: number; start: string };
  predict: {
    /** Trading-day horizons every model forecasts, each its own prediction. */
    horizons: number[];
    /** Similar past news shown to every model (the same for all: equal terms). */
    similarK: number;
    /** Stocks predicted at once. */
    concurrency: number;
  };
  evaluate: {
    /** |return| below this counts as flat (DESIGN §6). */
    flatBand: number;
    /** Trading cost per unit of position change, in basis points, for net returns. */
    costBps: number;
  };
  /** Trading days of history the first start replays the built-in models over (0: none). */
  seedReplayDays: number;
  auth: {
    /** Signs access tokens and CSRF tokens; unset → generated once under `dataDir` (auth-secret). */
    secret?: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    /** Secure cookies: true/false as set; unset → Secure unless the request is http on loopback. */
    cookieSecure?: boolean;
  };
  /**
   * Behind a reverse proxy: take the client address from X-Forwarded-For and the scheme from
   * X-Forwarded-Proto. Off by default, because a direct client could forge both.
   */
  trustProxy: boolean;
}

/** Variables a secret is read from: their values never appear in errors or logs. */
const SECRET_VARIABLES = new Set([
  "DATABASE_URL",
  "REDIS_URL",
  "OPENAI_API_KEY",
  "OPENROUTER_API_KEY",
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "AUTH_SECRET",
]);

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function fail(name: string, expected: string, value: string): never {
  throw new ConfigError(name, expected, SECRET_VARIABLES.has(name) ? undefined : value);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    fail(name, `an integer from ${min} to ${max}`, raw);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  fail(name, "true or false", raw);
}

/** true, false, or undefined when unset (the caller decides per request). */
function optionalBoolean(env: Env, name: string): boolean | undefined {
  return text(env, name) === undefined ? undefined : boolean(env, name, false);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    fail(name, `one of ${allowed.join(", ")}`, raw);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    fail(name, `a URL (${protocols.join(" or ")})`, raw);
  }
  if (!protocols.includes(parsed.protocol)) fail(name, `a URL (${protocols.join(" or ")})`, raw);
  return raw;
}

function hostPort(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  if (!/^(https?:\/\/)?[\w.-]+:\d{1,5}$/.test(raw)) fail(name, "host:port", raw);
  return raw;
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function cron(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  const fields = raw.split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => CRON_FIELD.test(field))) {
    fail(name, "a 5-field cron expression such as '*/15 * * * *'", raw);
  }
  return raw;
}

function secret(env: Env, name: string, pattern: RegExp, expected: string): string | undefined {
  const raw = text(env, name);
  if (raw !== undefined && !pattern.test(raw)) fail(name, expected, raw);
  return raw;
}

/** A provider's model id: "text-embedding-3-small", "openai/text-embedding-3-small". */
function modelId(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  if (!/^[\w.:/@-]{1,200}$/.test(raw)) fail(name, "a model id such as text-embedding-3-small", raw);
  return raw;
}

function list<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T[]): T[] {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const items = raw.split(",").map((item) => item.trim()).filter(Boolean);
  const unknown = items.find((item) => !(allowed as readonly string[]).includes(item));
  if (unknown !== undefined || items.length === 0) {
    fail(name, `a comma-separated list of ${allowed.join(", ")}`, raw);
  }
  return [...new Set(items)] as T[];
}

function date(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  const parsed = new Date(`${raw}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || parsed.toISOString().slice(0, 10) !== raw) {
    fail(name, "a date YYYY-MM-DD", raw);
  }
  return raw;
}

/** A decimal number within [min, max]. */
function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
    fail(name, `a number from ${min} to ${max}`, raw);
  }
  return value;
}

/** Comma-separated distinct integers within [min, max], in ascending order. */
function integerList(env: Env, name: string, fallback: number[], min: number, max: number) {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const items = raw.split(",").map((item) => item.trim());
  const values = items.map(Number);
  if (
    items.some((item) => !/^\d+$/.test(item)) || values.some((v) => v < min || v > max) ||
    new Set(values).size !== values.length
  ) {
    fail(name, `distinct integers from ${min} to ${max}, comma-separated`, raw);
  }
  return values.sort((a, b) => a - b);
}

function telegram(env: Env): Config["telegram"] {
  const mode = oneOf(env, "TELEGRAM_MODE", ["webhook", "polling"] as const, "polling");
  const webhookSecret = secret(
    env,
    "TELEGRAM_WEBHOOK_SECRET",
    /^[A-Za-z0-9_-]{16,256}$/,
    "16-256 characters from A-Z, a-z, 0-9, _ and -",
  );
  const botToken = secret(env, "TELEGRAM_BOT_TOKEN", /^\d+:[\w-]{30,}$/, "a bot token 'ID:SECRET'");
  if (botToken && mode === "webhook" && !webhookSecret) {
    throw new ConfigError("TELEGRAM_WEBHOOK_SECRET", "a secret when TELEGRAM_MODE=webhook");
  }
  return {
    botToken,
    mode,
    webhookSecret,
    apiRoot: (url(env, "TELEGRAM_API_ROOT", ["http:", "https:"]) ?? "https://api.telegram.org")
      .replace(/\/+$/, ""),
  };
}

/** Validates the environment; throws a `ConfigError` naming the first bad variable. */
export function loadConfig(env: Env): Config {
  return {
    port: integer(env, "PORT", 8000, 0, 65535),
    hostname: text(env, "HOST") ?? "0.0.0.0",
    databaseUrl: url(env, "DATABASE_URL", ["postgres:", "postgresql:"]),
    dataDir: text(env, "DATA_DIR") ?? "./data",
    redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"]),
    milvusAddress: hostPort(env, "MILVUS_ADDRESS"),
    milvusIndex: oneOf(env, "MILVUS_INDEX", MILVUS_INDEX_TYPES, "HNSW"),
    milvusTimeoutMs: integer(env, "MILVUS_TIMEOUT_MS", 10_000, 100, 600_000),
    openaiApiKey: secret(env, "OPENAI_API_KEY", /^\S{20,}$/, "an API key (20+ characters)"),
    openrouterApiKey: secret(env, "OPENROUTER_API_KEY", /^\S{20,}$/, "an API key (20+ characters)"),
    openaiBaseUrl: url(env, "OPENAI_BASE_URL", ["http:", "https:"]),
    embeddingModel: modelId(env, "EMBEDDING_MODEL", "text-embedding-3-small"),
    embeddingDimensions: integer(env, "EMBEDDING_DIMENSIONS", 1536, 1, 16_384),
    publicUrl: (url(env, "PUBLIC_URL", ["http:", "https:"]) ??
      `http://localhost:${integer(env, "PORT", 8000, 0, 65535)}`).replace(/\/+$/, ""),
    telegram: telegram(env),
    alerts: {
      cooldownMinutes: integer(env, "ALERT_COOLDOWN_MINUTES", 60, 0, 7 * 24 * 60),
      digestHourUtc: integer(env, "ALERT_DIGEST_HOUR_UTC", 22, 0, 23),
      maxAgeHours: integer(env, "ALERT_MAX_AGE_HOURS", 24, 1, 24 * 14),
      limits: {
        globalPerSecond: integer(env, "TELEGRAM_MESSAGES_PER_SECOND", 30, 1, 10_000),
        chatPerSecond: integer(env, "TELEGRAM_CHAT_MESSAGES_PER_SECOND", 1, 1, 1_000),
        groupPerMinute: integer(env, "TELEGRAM_GROUP_MESSAGES_PER_MINUTE", 20, 1, 60_000),
      },
    },
    shutdownTimeoutMs: integer(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 100, 600_000),
    backup: {
      dir: text(env, "BACKUP_DIR") ?? "./backups",
      keep: integer(env, "BACKUP_KEEP", 7, 1, 1_000),
    },
    logLevel: oneOf(env, "LOG_LEVEL", ["debug", "info", "warn", "error"] as const, "info"),
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 1_048_576, 1024, 104_857_600),
    jobsEnabled: boolean(env, "JOBS_ENABLED", true),
    schedules: {
      crawl: cron(env, "CRON_CRAWL", "*/30 * * * *"),
      embed: cron(env, "CRON_EMBED", "5,35 * * * *"),
      predict: cron(env, "CRON_PREDICT", "10 * * * *"),
      evaluate: cron(env, "CRON_EVALUATE", "20 */6 * * *"),
      alerts: cron(env, "CRON_ALERTS", "* * * * *"),
      housekeep: cron(env, "CRON_HOUSEKEEP", "40 3 * * *"),
    },
    jobLockTtlMs: integer(env, "JOB_LOCK_TTL_MS", 15 * 60_000, 1_000, 24 * 3_600_000),
    retentionDays: integer(env, "RETENTION_DAYS", 90, 7, 3_650),
    sources: list(env, "SOURCES", SOURCE_NAMES, ["simulator"]),
    simulator: {
      seed: integer(env, "SIMULATOR_SEED", 42, 0, 2 ** 31 - 1),
      start: date(env, "SIMULATOR_START", "2024-01-02"),
    },
    predict: {
      horizons: integerList(env, "PREDICT_HORIZONS", [1, 5], 1, 366),
      similarK: integer(env, "PREDICT_SIMILAR_K", 5, 0, 20),
      concurrency: integer(env, "PREDICT_CONCURRENCY", 4, 1, 64),
    },
    evaluate: {
      flatBand: decimal(env, "EVALUATE_FLAT_BAND", 0.001, 0, 0.1),
      costBps: decimal(env, "EVALUATE_COST_BPS", 5, 0, 1_000),
    },
    seedReplayDays: integer(env, "SEED_REPLAY_DAYS", 120, 0, 2_000),
    auth: {
      secret: secret(env, "AUTH_SECRET", /^\S{32,}$/, "a random secret of 32+ characters"),
      accessTtlSeconds: integer(env, "AUTH_ACCESS_TTL_SECONDS", 600, 60, 3_600),
      refreshTtlDays: integer(env, "AUTH_REFRESH_TTL_DAYS", 30, 1, 365),
      cookieSecure: optionalBoolean(env, "COOKIE_SECURE"),
    },
    trustProxy: boolean(env, "TRUST_PROXY", false),
  };
}

/** Parses a `.env` file: KEY=value lines, `#` comments, optional single or double quotes. */
export function parseDotEnv(source: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [index, line] of source.split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!match) throw new ConfigError(`.env line ${index + 1}`, "KEY=value");
    let value = match[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    value = quoted ? quoted[2] : value.replace(/\s+#.*$/, "");
    values[match[1]] = value;
  }
  return values;
}

/** The process environment over the `.env` file (real environment variables win). */
export async function readEnvironment(dotEnvPath = ".env"): Promise<Env> {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseDotEnv(await Deno.readTextFile(dotEnvPath));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return { ...fromFile, ...Deno.env.toObject() };
}
