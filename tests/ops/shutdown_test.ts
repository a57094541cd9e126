// Graceful shutdown of a real `deno run -A main.ts` (issue 9): on SIGTERM the process refuses new
// connections, finishes the requests in flight, ends event streams, records its running job as
// interrupted, releases its locks and exits 0; a second signal or the deadline ends it at once
// with exit 1 and a log line.
//
// A request in flight is a login held up by the test: it locks `app_user` until told to go on, so
// those tests need a real Postgres. (A request whose body is still arriving would not do: Deno
// 2.9's server.shutdown() makes in-flight request bodies unreadable, denoland/deno#36809.)
import assert from "node:assert/strict";
import { MemoryCache } from "../../lib/cache/memory.ts";
import { RedisCache } from "../../lib/cache/redis.ts";
import { openEmbedded } from "../../lib/db/embedded.ts";
import { acquireJobLock } from "../../lib/jobs/lock.ts";
import { createLogger } from "../../lib/log.ts";
import { AppProcess } from "../support/app_process.ts";
import { deleteRedisNamespace } from "../support/cache.ts";
import { openTestDatabase, seedEmbeddedDataDir, type TestDatabase } from "../support/database.ts";
import { tempDir } from "../support/temp_dir.ts";

const quiet = createLogger("error", () => {});
const databaseUrl = Deno.env.get("DATABASE_URL")?.trim();
const redisUrl = Deno.env.get("REDIS_URL")?.trim();
/**
 * main.ts has no key prefix setting: its Redis keys go to a logical database of their own, so
 * they never meet another test's (which use database 0 with prefixes).
 */
const appRedisUrl = redisUrl && (() => {
  const url = new URL(redisUrl);
  url.pathname = "/9";
  return url.href;
})();

const STEPS = [
  "stop the jobs",
  "end event streams",
  "refuse new connections, finish in-flight requests",
  "stop the Telegram bot",
  "wait for running jobs",
  "close the page runtime",
  "close the database, cache and vector store",
];

/** Resolves once connecting to `baseUrl` is refused. */
async function refusedSoon(baseUrl: string, timeoutMs = 5_000): Promise<void> {
  const { hostname, port } = new URL(baseUrl);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      (await Deno.connect({ hostname, port: Number(port) })).close();
    } catch (error) {
      if (error instanceof Deno.errors.ConnectionRefused) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail("new connections were still accepted after SIGTERM");
}

/**
 * A login that stays in flight until `release()`: `app_user` is locked, and the request waits in
 * Postgres for the lock (seen in pg_stat_activity) before this resolves.
 */
async function loginInFlight(db: TestDatabase, baseUrl: string) {
  const locked = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  const holding = db.sql.begin(async (tx) => {
    await tx`lock table app_user in access exclusive mode`;
    locked.resolve();
    await release.promise;
  });
  await locked.promise;
  const response = fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "nobody@example.com", password: "not the password" }),
  });
  // A process that is made to exit drops it: that rejection is expected, not unhandled.
  response.catch(() => {});
  for (let waited = 0;; waited += 25) {
    const [{ waiting }] = await db.sql<{ waiting: number }[]>`
      select count(*)::int as waiting from pg_stat_activity
      where datname = ${db.location} and wait_event_type = 'Lock'`;
    if (waiting > 0) break;
    assert.ok(waited < 20_000, "the login never reached the database");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    response,
    async release() {
      release.resolve();
      await holding;
    },
  };
}

function postgresEnv(db: TestDatabase): Record<string, string> {
  const url = new URL(databaseUrl!);
  url.pathname = `/${db.location}`;
  return { DATABASE_URL: url.href };
}

/** The first start crawls at once (jobs/schedule.ts); years of history keep it busy a while. */
const CRAWLING = { JOBS_ENABLED: "true", SIMULATOR_START: "2015-01-02" };

/** Every step ran, and the crawl stopped for the shutdown (status and reason are in its log). */
function assertCleanShutdown(app: AppProcess) {
  const done = app.logs().filter((entry) => entry.message === "shutdown step done");
  assert.deepEqual(done.map((entry) => entry.step), STEPS);
  const stopped = app.logs().find((entry) => entry.message === "job interrupted");
  assert.equal(stopped?.job, "crawl");
  assert.equal(stopped?.reason, "the process is shutting down");
}

Deno.test("SIGTERM on Postgres: requests in flight finish, the job is interrupted, exit 0", async (t) => {
  if (!databaseUrl) {
    console.log("skipped: DATABASE_URL is not set (the test holds a request in Postgres)");
    return;
  }
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-shutdown-");
  const app = new AppProcess({
    ...postgresEnv(db),
    REDIS_URL: appRedisUrl ?? "",
    DATA_DIR: dir.path,
    SHUTDOWN_TIMEOUT_MS: "60000",
    ...CRAWLING,
  });
  try {
    const url = await app.listeningUrl();
    await app.waitForLog((entry) => entry.message === "job started" && entry.job === "crawl");
    const events = await fetch(`${url}/api/stream/predictions`);
    assert.equal(events.status, 200);
    const login = await loginInFlight(db, url);

    app.kill("SIGTERM");
    await refusedSoon(url);
    await login.release();
    const response = await login.response;
    assert.equal(response.status, 401, "the request in flight was answered");
    assert.equal((await response.json()).error.code, "invalid_credentials");
    // Ended by the server, not left hanging: reading it to its end returns.
    await events.body?.pipeTo(new WritableStream());
    const { code, stderr } = await app.exit();
    assert.equal(code, 0, stderr);
    assertCleanShutdown(app);

    const runs = await db.sql<{ job: string; status: string; error: string | null }[]>`
      select job, status, error from job_run order by id`;
    assert.deepEqual(runs.map((run) => ({ ...run })), [{
      job: "crawl",
      status: "interrupted",
      error: null,
    }]);

    await t.step("its job lock is free at once for another process", async () => {
      const cache = appRedisUrl
        ? new RedisCache({ url: appRedisUrl, log: quiet })
        : new MemoryCache();
      try {
        if (cache instanceof RedisCache) assert.ok(await cache.ready(2_000));
        const lock = await acquireJobLock({ db, cache }, "crawl", 10_000);
        assert.ok(lock, "another process takes the crawl lock");
        assert.ok(await lock.release());
      } finally {
        await cache.close();
      }
    });
  } finally {
    if (appRedisUrl) await deleteRedisNamespace(appRedisUrl, "craveny:");
  }
});

Deno.test("SIGTERM embedded: the job is interrupted and the data directory is free at once", async () => {
  await using dir = await tempDir("craveny-shutdown-");
  await seedEmbeddedDataDir(dir.path); // saves an initdb
  const app = new AppProcess({ DATA_DIR: dir.path, SHUTDOWN_TIMEOUT_MS: "60000", ...CRAWLING });
  const url = await app.listeningUrl();
  await app.waitForLog((entry) => entry.message === "job started" && entry.job === "crawl");
  const events = await fetch(`${url}/api/stream/predictions`);
  app.kill("SIGTERM");
  await refusedSoon(url);
  await events.body?.pipeTo(new WritableStream());
  const { code, stderr } = await app.exit();
  assert.equal(code, 0, stderr);
  assertCleanShutdown(app);

  // Another process opens the directory at once: the lock file went with the process.
  const db = await openEmbedded(dir.path, quiet);
  try {
    const runs = await db.sql<{ job: string; status: string; error: string | null }[]>`
      select job, status, error from job_run order by id`;
    assert.deepEqual(runs.map((run) => ({ ...run })), [{
      job: "crawl",
      status: "interrupted",
      error: null,
    }]);
  } finally {
    await db.close();
  }
});

Deno.test("shutdown that can't finish: a second signal or the deadline exits 1", async (t) => {
  if (!databaseUrl) {
    console.log("skipped: DATABASE_URL is not set (the test holds a request in Postgres)");
    return;
  }
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-shutdown-");
  const cases = [
    {
      name: "a second signal",
      timeoutMs: "60000",
      after: (app: AppProcess) => app.kill("SIGINT"),
      last: { message: "second signal during shutdown: exiting now", signal: "SIGINT" },
    },
    {
      name: "the deadline",
      timeoutMs: "500",
      after: () => {},
      last: {
        message: "shutdown deadline passed: exiting now",
        step: "refuse new connections, finish in-flight requests",
      },
    },
  ];
  for (const { name, timeoutMs, after, last } of cases) {
    await t.step(name, async () => {
      const app = new AppProcess({
        ...postgresEnv(db),
        DATA_DIR: dir.path,
        SHUTDOWN_TIMEOUT_MS: timeoutMs,
      });
      const url = await app.listeningUrl();
      const login = await loginInFlight(db, url); // held until the process has exited
      try {
        app.kill("SIGTERM");
        await refusedSoon(url);
        after(app);
        const { code } = await app.exit();
        assert.equal(code, 1);
        const entry = app.logs().at(-1);
        assert.deepEqual(
          Object.fromEntries(Object.keys(last).map((key) => [key, entry?.[key]])),
          last,
        );
      } finally {
        await login.release();
        await login.response.then((response) => response.body?.cancel(), () => {});
      }
    });
  }
});
