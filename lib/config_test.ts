import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseDotEnv } from "./config.ts";

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

Deno.test("an empty environment gives the embedded defaults", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.redisUrl, undefined);
  assert.equal(config.dataDir, "./data");
  assert.equal(config.logLevel, "info");
  assert.equal(config.jobsEnabled, true);
  assert.equal(config.schedules.crawl, "*/30 * * * *");
  assert.deepEqual(config.sources, ["simulator"]);
  assert.deepEqual(config.simulator, { seed: 42, start: "2024-01-02" });
  assert.equal(config.openaiBaseUrl, undefined);
  assert.equal(config.embeddingModel, "text-embedding-3-small");
  assert.equal(config.embeddingDimensions, 1536);
  assert.deepEqual(config.auth, {
    secret: undefined,
    accessTtlSeconds: 600,
    refreshTtlDays: 30,
    cookieSecure: undefined,
  });
  assert.equal(config.trustProxy, false);
});

Deno.test("auth settings: secret, token lifetimes, secure cookies, proxy", () => {
  const config = loadConfig({
    AUTH_SECRET: "0123456789abcdef0123456789abcdef",
    AUTH_ACCESS_TTL_SECONDS: "300",
    AUTH_REFRESH_TTL_DAYS: "7",
    COOKIE_SECURE: "false",
    TRUST_PROXY: "true",
  });
  assert.deepEqual(config.auth, {
    secret: "0123456789abcdef0123456789abcdef",
    accessTtlSeconds: 300,
    refreshTtlDays: 7,
    cookieSecure: false,
  });
  assert.equal(config.trustProxy, true);
  assert.equal(loadConfig({ COOKIE_SECURE: "true" }).auth.cookieSecure, true);
});

Deno.test("embedding settings: model, dimensions and an OpenAI-compatible base URL", () => {
  const config = loadConfig({
    OPENAI_BASE_URL: "http://127.0.0.1:8080/v1",
    EMBEDDING_MODEL: "openai/text-embedding-3-large",
    EMBEDDING_DIMENSIONS: "3072",
  });
  assert.equal(config.openaiBaseUrl, "http://127.0.0.1:8080/v1");
  assert.equal(config.embeddingModel, "openai/text-embedding-3-large");
  assert.equal(config.embeddingDimensions, 3072);
});

Deno.test("valid production values are taken as given", () => {
  const config = loadConfig({
    PORT: "9090",
    DATABASE_URL: "postgres://app:pw@db:5432/craveny",
    REDIS_URL: "redis://cache:6379",
    MILVUS_ADDRESS: "milvus:19530",
    OPENAI_API_KEY: "sk-abcdefghijklmnopqrstuvwxyz",
    TELEGRAM_BOT_TOKEN: "123456:ABCdefGhIJKlmNoPQRstuVWXyz0123456789",
    LOG_LEVEL: "debug",
    JOBS_ENABLED: "false",
    CRON_CRAWL: "0 */2 * * *",
  });
  assert.equal(config.port, 9090);
  assert.equal(config.redisUrl, "redis://cache:6379");
  assert.equal(config.milvusAddress, "milvus:19530");
  assert.equal(config.jobsEnabled, false);
  assert.equal(config.schedules.crawl, "0 */2 * * *");
});

const badValues: [string, string, string][] = [
  ["PORT", "eighty", 'PORT: expected an integer from 0 to 65535, got "eighty"'],
  ["PORT", "70000", 'PORT: expected an integer from 0 to 65535, got "70000"'],
  ["DATABASE_URL", "mysql://u:pw@h/db", "DATABASE_URL: expected a URL (postgres: or postgresql:)"],
  ["REDIS_URL", "not a url", "REDIS_URL: expected a URL (redis: or rediss:)"],
  ["MILVUS_ADDRESS", "milvus", 'MILVUS_ADDRESS: expected host:port, got "milvus"'],
  ["OPENAI_API_KEY", "short", "OPENAI_API_KEY: expected an API key (20+ characters)"],
  ["OPENROUTER_API_KEY", "has spaces in it but is long enough", "OPENROUTER_API_KEY: expected"],
  ["TELEGRAM_BOT_TOKEN", "nonsense", "TELEGRAM_BOT_TOKEN: expected a bot token 'ID:SECRET'"],
  ["LOG_LEVEL", "loud", 'LOG_LEVEL: expected one of debug, info, warn, error, got "loud"'],
  ["BODY_LIMIT_BYTES", "10", "BODY_LIMIT_BYTES: expected an integer from 1024 to 104857600"],
  ["JOBS_ENABLED", "maybe", 'JOBS_ENABLED: expected true or false, got "maybe"'],
  ["CRON_EMBED", "every minute", "CRON_EMBED: expected a 5-field cron expression"],
  [
    "SOURCES",
    "simulator,bloomberg",
    "SOURCES: expected a comma-separated list of simulator, yahoo",
  ],
  ["SIMULATOR_START", "2024-02-30", "SIMULATOR_START: expected a date YYYY-MM-DD"],
  ["JOB_LOCK_TTL_MS", "-5", "JOB_LOCK_TTL_MS: expected an integer from 1000 to 86400000"],
  [
    "OPENAI_BASE_URL",
    "ftp://models.local",
    'OPENAI_BASE_URL: expected a URL (http: or https:), got "ftp:',
  ],
  ["EMBEDDING_MODEL", "text embedding", "EMBEDDING_MODEL: expected a model id such as"],
  ["EMBEDDING_DIMENSIONS", "0", "EMBEDDING_DIMENSIONS: expected an integer from 1 to 16384"],
  ["AUTH_SECRET", "short", "AUTH_SECRET: expected a random secret of 32+ characters"],
  ["AUTH_ACCESS_TTL_SECONDS", "30", "AUTH_ACCESS_TTL_SECONDS: expected an integer from 60 to 3600"],
  ["AUTH_REFRESH_TTL_DAYS", "0", "AUTH_REFRESH_TTL_DAYS: expected an integer from 1 to 365"],
  ["COOKIE_SECURE", "sometimes", 'COOKIE_SECURE: expected true or false, got "sometimes"'],
  ["TRUST_PROXY", "nginx", 'TRUST_PROXY: expected true or false, got "nginx"'],
];

for (const [variable, value, expected] of badValues) {
  Deno.test(`${variable}=${JSON.stringify(value)} is refused with one clear line`, () => {
    const error = configError({ [variable]: value });
    assert.equal(error.variable, variable);
    assert.ok(error.message.startsWith(expected), error.message);
    assert.ok(!error.message.includes("\n"));
  });
}

Deno.test("a bad secret is named but its value is never printed", () => {
  for (
    const [variable, value] of [
      ["DATABASE_URL", "mysql://user:hunter2@db/x"],
      ["REDIS_URL", "http://:hunter2@cache"],
      ["OPENAI_API_KEY", "hunter2"],
      ["TELEGRAM_BOT_TOKEN", "hunter2"],
      ["AUTH_SECRET", "hunter2"],
    ]
  ) {
    const error = configError({ [variable]: value });
    assert.ok(error.message.startsWith(`${variable}: expected`));
    assert.ok(!error.message.includes("hunter2"), error.message);
  }
});

Deno.test(".env files: comments, quotes, export prefix and bad lines", () => {
  const parsed = parseDotEnv(
    "# comment\nPORT=9000\nexport LOG_LEVEL='warn'\nDATA_DIR=\"/var/lib/craveny\" \nEMPTY=\nX=1 # trailing\n",
  );
  assert.deepEqual(parsed, {
    PORT: "9000",
    LOG_LEVEL: "warn",
    DATA_DIR: "/var/lib/craveny",
    EMPTY: "",
    X: "1",
  });
  assert.throws(() => parseDotEnv("PORT=1\nnot an assignment"), /\.env line 2: expected KEY=value/);
});

Deno.test(".env.example documents every variable the config reads", async () => {
  const source = await Deno.readTextFile(new URL("./config.ts", import.meta.url));
  const example = await Deno.readTextFile(new URL("../.env.example", import.meta.url));
  const read = [...source.matchAll(/\(env, "([A-Z][A-Z0-9_]+)"/g)].map((match) => match[1]);
  assert.ok(read.length >= 15, `found only ${read.length} variables`);
  const undocumented = read.filter((name) => !new RegExp(`^#? ?${name}=`, "m").test(example));
  assert.deepEqual(undocumented, []);
});
