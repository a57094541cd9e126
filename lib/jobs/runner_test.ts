import assert from "node:assert/strict";
import { readDataVersion } from "../cache/data_version.ts";
import { MemoryCache } from "../cache/memory.ts";
import { openTestDatabase, type TestDatabase } from "../../tests/support/database.ts";
import { openTestCaches } from "../../tests/support/cache.ts";
import { openTestContext, type TestContext } from "../../tests/support/context.ts";
import { loadConfig } from "../config.ts";
import type { AppContext } from "../context.ts";
import { openPostgres } from "../db/postgres.ts";
import { createLogger } from "../log.ts";
import { LOCK_LOST } from "./heartbeat.ts";
import type { Job } from "./job.ts";
import { mayHaveWritten, runJob } from "./runner.ts";
import { interruptAbandonedRuns, recentRuns } from "./store.ts";

function context(
  db: TestDatabase | AppContext["db"],
  cache: AppContext["cache"],
  jobLockTtlMs?: number,
): Promise<TestContext> {
  const config = loadConfig({});
  return openTestContext({
    db,
    cache,
    config: { ...config, jobLockTtlMs: jobLockTtlMs ?? config.jobLockTtlMs },
    log: createLogger("error", () => {}),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function blockingJob(): { job: Job; started: Promise<void>; finish: () => void } {
  const started = Promise.withResolvers<void>();
  const finish = Promise.withResolvers<void>();
  const job: Job = {
    name: "crawl",
    description: "test job that waits until told to finish",
    async run() {
      started.resolve();
      await finish.promise;
      return { fetched: 3 };
    },
  };
  return { job, started: started.promise, finish: () => finish.resolve() };
}

Deno.test("job runner", async (t) => {
  await using db = await openTestDatabase();

  for (const { name, open } of openTestCaches()) {
    await t.step(
      `two concurrent runs sharing a ${name} cache: one runs, one is skipped`,
      async () => {
        // Two cache clients stand for two processes sharing one Redis (or one process's memory).
        const [first, second] = await open(2);
        try {
          const { job, started, finish } = blockingJob();
          await using firstApp = await context(db, first);
          await using secondApp = await context(db, second);
          const running = runJob(job, firstApp);
          await started;
          const skipped = await runJob(job, secondApp);
          assert.deepEqual(skipped, { status: "skipped", reason: "another run holds the lock" });
          finish();
          const outcome = await running;
          assert.equal(outcome.status, "succeeded");
          const [latest] = await recentRuns(db.sql, "crawl", 1);
          assert.equal(latest.status, "succeeded");
          assert.deepEqual(latest.counts, { fetched: 3 });
          assert.ok(latest.finishedAt);
          // The lock was released: the next run goes ahead.
          const again = blockingJob();
          again.finish();
          assert.equal((await runJob(again.job, secondApp)).status, "succeeded");
        } finally {
          for (const cache of [first, second]) await cache.close();
        }
      },
    );
  }

  const [cache] = await openTestCaches()[0].open(1);
  await using app = await context(db, cache);

  await t.step("a failing job is recorded with its error and releases its lock", async () => {
    // An admin with a linked Telegram chat hears about each failed run.
    await db.sql`insert into telegram_chat (chat_id, kind) values (9001, 'private')`;
    await db.sql`
      insert into app_user (email, password_hash, role, telegram_chat_id, telegram_linked_at)
      values ('ops@example.com', 'x', 'admin', 9001, now())`;
    const failing: Job = {
      name: "embed",
      description: "fails",
      run: () => Promise.reject(new Error("source answered 503")),
    };
    const outcome = await runJob(failing, app);
    assert.equal(outcome.status, "failed");
    assert.ok(outcome.status === "failed" && outcome.error === "source answered 503");
    const [row] = await recentRuns(db.sql, "embed", 1);
    assert.equal(row.status, "failed");
    assert.equal(row.error, "source answered 503");
    assert.equal((await runJob(failing, app)).status, "failed", "lock was released");
    const alerts = await db.sql<{ chat_id: number; payload: { job: string; error: string } }[]>`
      select chat_id, payload from alert_outbox where kind = 'job_failure' order by id`;
    assert.deepEqual(
      alerts.map((a) => [Number(a.chat_id), a.payload.job, a.payload.error]),
      [[9001, "embed", "source answered 503"], [9001, "embed", "source answered 503"]],
    );
  });

  await t.step("problems a job survived make the run partial, with what loaded", async () => {
    const job: Job = {
      name: "alerts",
      description: "one source down",
      run({ reportProblem }) {
        reportProblem("yahoo AAPL: HTTP 503 after 4 attempts");
        return Promise.resolve({ loaded: 7 });
      },
    };
    const outcome = await runJob(job, app);
    assert.equal(outcome.status, "partial");
    const [row] = await recentRuns(db.sql, "alerts", 1);
    assert.equal(row.status, "partial");
    assert.deepEqual(row.counts, { loaded: 7 });
    assert.equal(row.error, "yahoo AAPL: HTTP 503 after 4 attempts");
  });

  await t.step("a run left 'running' by a dead process is marked interrupted", async () => {
    await db.sql`insert into job_run (job, status, host) values ('predict', 'running', 'dead:1')`;
    const job: Job = { name: "predict", description: "ok", run: () => Promise.resolve({}) };
    assert.equal((await runJob(job, app)).status, "succeeded");
    const statuses = (await recentRuns(db.sql, "predict")).map((row) => row.status);
    assert.deepEqual(statuses.toSorted(), ["interrupted", "succeeded"]);
  });

  await t.step("a job stopped by the shutdown signal is recorded as interrupted", async () => {
    const controller = new AbortController();
    const job: Job = {
      name: "evaluate",
      description: "stops at its next safe point",
      run({ signal }) {
        controller.abort();
        return Promise.resolve({ labelled: signal.aborted ? 1 : 2 });
      },
    };
    const outcome = await runJob(job, app, controller.signal);
    assert.equal(outcome.status, "interrupted");
    const [row] = await recentRuns(db.sql, "evaluate", 1);
    assert.equal(row.status, "interrupted");
    assert.deepEqual(row.counts, { labelled: 1 });
  });

  await t.step(
    "a run that wrote something bumps the data version; one that didn't, not",
    async () => {
      const run = async (counts: Record<string, number>, showsOnPages?: boolean) => {
        const before = await readDataVersion(app.cache);
        const job: Job = {
          name: "crawl",
          description: "counts",
          showsOnPages,
          run: () => Promise.resolve(counts),
        };
        assert.equal((await runJob(job, app)).status, "succeeded");
        return (await readDataVersion(app.cache)) !== before;
      };
      assert.equal(await run({ "prices.inserted": 3, "news.duplicates": 2 }), true);
      assert.equal(
        await run({ existing: 500, "skipped.no_prices": 2, "news.duplicates": 4 }),
        false,
      );
      assert.equal(await run({}), false);
      // A job whose writes no page shows (alert deliveries) never invalidates the pages.
      assert.equal(await run({ sent: 12 }, false), false);
      const failing: Job = {
        name: "crawl",
        description: "fails after it may have written",
        run: () => Promise.reject(new Error("source down")),
      };
      const before = await readDataVersion(app.cache);
      assert.equal((await runJob(failing, app)).status, "failed");
      assert.notEqual(await readDataVersion(app.cache), before);
    },
  );

  await cache.close();
});

Deno.test("mayHaveWritten: counts of things written, failures, never a skipped run", () => {
  const ran = (counts: Record<string, number>) =>
    mayHaveWritten({ status: "succeeded", runId: 1, counts, ms: 1 });
  assert.equal(ran({ predicted: 10, existing: 3 }), true);
  assert.equal(ran({ labelled: 0, snapshots: 6 }), true);
  assert.equal(ran({ existing: 3, abstained: 2, failed: 1, "skipped.daily_cap": 1 }), false);
  assert.equal(ran({ "news.rejected": 1, "news.duplicates": 9, "prices.inserted": 0 }), false);
  assert.equal(
    mayHaveWritten({
      status: "partial",
      runId: 1,
      counts: { "news.inserted": 1 },
      problems: [],
      ms: 1,
    }),
    true,
  );
  assert.equal(mayHaveWritten({ status: "failed", runId: 4, error: "x", ms: 1 }), true);
  assert.equal(
    mayHaveWritten({ status: "failed", runId: null, error: "database down", ms: 1 }),
    false,
    "it never started",
  );
  assert.equal(mayHaveWritten({ status: "skipped", reason: "locked" }), false);
});

/** A table the fenced test jobs write to: which run wrote which step. */
async function createProbe(db: TestDatabase): Promise<void> {
  await db.sql`create table if not exists fence_probe (run_id bigint not null, step int not null)`;
  await db.sql`truncate fence_probe`;
}

async function probeRows(db: TestDatabase): Promise<{ run_id: number; step: number }[]> {
  return await db.sql<{ run_id: number; step: number }[]>`
    select run_id::int as run_id, step from fence_probe order by run_id, step`;
}

Deno.test("job lock heartbeat and fencing", async (t) => {
  await using db = await openTestDatabase();
  await createProbe(db);

  for (const { name, open } of openTestCaches()) {
    await t.step(`a ${name} lock outlives its TTL while the run lasts`, async () => {
      const [first, second] = await open(2);
      try {
        await using firstApp = await context(db, first, 300);
        await using secondApp = await context(db, second, 300);
        const { job, started, finish } = blockingJob();
        const running = runJob(job, firstApp);
        await started;
        await sleep(1_000); // more than three TTLs: only the heartbeat keeps the lock
        assert.deepEqual(await runJob(job, secondApp), {
          status: "skipped",
          reason: "another run holds the lock",
        });
        finish();
        assert.equal((await running).status, "succeeded");
      } finally {
        for (const cache of [first, second]) await cache.close();
      }
    });
  }

  await t.step("a run whose lock expired stops at its next safe point, interrupted", async () => {
    // The cache's clock jumps past the TTL, as if the process had stalled that long.
    let now = Date.now();
    const cache = new MemoryCache({ now: () => now });
    await using app = await context(db, cache, 300);
    const wrote = Promise.withResolvers<void>();
    let steps = 0;
    const job: Job = {
      name: "crawl",
      description: "writes a step per safe point until stopped",
      async run({ signal, fencedSql, runId }) {
        while (!signal.aborted) {
          await fencedSql.begin((tx) => tx`insert into fence_probe values (${runId}, ${++steps})`);
          wrote.resolve();
          await sleep(20);
        }
        return { steps };
      },
    };
    const running = runJob(job, app);
    await wrote.promise;
    now += 60_000;
    const outcome = await running;
    assert.equal(outcome.status, "interrupted");
    assert.ok(outcome.status === "interrupted" && outcome.reason === LOCK_LOST, outcome.reason);
    const [row] = await recentRuns(db.sql, "crawl", 1);
    assert.equal(row.status, "interrupted");
    assert.equal(row.error, `interrupted: ${LOCK_LOST}`);
    assert.deepEqual(row.counts, { steps });
    assert.equal((await probeRows(db)).length, steps, "every step it counted was committed");
  });

  await t.step("a run taken over by another process commits nothing more", async () => {
    await createProbe(db);
    await using app = await context(db, new MemoryCache());
    const inTransaction = Promise.withResolvers<void>();
    const resume = Promise.withResolvers<void>();
    const stalled = Promise.withResolvers<void>();
    const proceed = Promise.withResolvers<void>();
    let secondWrite: unknown;
    const job: Job = {
      name: "evaluate",
      description: "stalls inside and between its fenced writes",
      async run({ fencedSql, runId }) {
        await fencedSql.begin(async (tx) => {
          await tx`insert into fence_probe values (${runId}, 1)`;
          inTransaction.resolve();
          await resume.promise;
        });
        stalled.resolve();
        await proceed.promise;
        try {
          await fencedSql.begin((tx) => tx`insert into fence_probe values (${runId}, 2)`);
        } catch (error) {
          secondWrite = error;
          throw error;
        }
        return { steps: 2 };
      },
    };
    const running = runJob(job, app);
    await inTransaction.promise;
    // What the process that takes the lock over does first. It waits for the fenced transaction
    // in flight, so the stale run's first write lands before the takeover or not at all.
    let tookOver = false;
    const takeover = interruptAbandonedRuns(db.sql, "evaluate").then((count) => {
      tookOver = true;
      return count;
    });
    await sleep(200);
    assert.equal(tookOver, false, "the takeover waits for the fenced transaction");
    resume.resolve();
    await stalled.promise;
    assert.equal(await takeover, 1);
    proceed.resolve();
    const outcome = await running;
    assert.equal(outcome.status, "interrupted");
    assert.equal((secondWrite as Error)?.name, "LostFence");
    const [row] = await recentRuns(db.sql, "evaluate", 1);
    assert.equal(row.status, "interrupted");
    assert.match(row.error ?? "", /^abandoned: /, "the takeover's record stands");
    assert.deepEqual((await probeRows(db)).map((probe) => probe.step), [1]);
  });

  await t.step("a tick another process already ran is skipped under the lock", async () => {
    await using app = await context(db, new MemoryCache());
    const job: Job = { name: "alerts", description: "ok", run: () => Promise.resolve({}) };
    const before = new Date(Date.now() - 1_000);
    assert.equal((await runJob(job, app)).status, "succeeded");
    assert.deepEqual(await runJob(job, app, undefined, [], { notRunSince: before }), {
      status: "skipped",
      reason: "this tick already ran",
    });
    const after = new Date(Date.now() + 1_000);
    assert.equal(
      (await runJob(job, app, undefined, [], { notRunSince: after })).status,
      "succeeded",
    );
  });
});

Deno.test("Postgres without Redis: the job lock holds across processes", async (t) => {
  const url = Deno.env.get("DATABASE_URL")?.trim();
  if (!url) {
    console.log("skipped: DATABASE_URL is not set (embedded mode runs a single process)");
    return;
  }
  await using db = await openTestDatabase();
  // A second pool and cache of its own: another process on the same database, no shared cache.
  const other = new URL(url);
  other.pathname = `/${db.location}`;
  const otherDb = await openPostgres(other.href, createLogger("error", () => {}), { max: 2 });
  try {
    await using firstApp = await context(db, new MemoryCache(), 300);
    await using secondApp = await context(otherDb, new MemoryCache(), 300);

    await t.step("a second process is skipped while the first runs", async () => {
      const { job, started, finish } = blockingJob();
      const running = runJob(job, firstApp);
      await started;
      await sleep(500);
      assert.deepEqual(await runJob(job, secondApp), {
        status: "skipped",
        reason: "another run holds the lock",
      });
      finish();
      assert.equal((await running).status, "succeeded");
      assert.equal((await runJob(job, secondApp)).status, "succeeded", "released");
    });

    await t.step("a process whose connection dies loses the lock and stops", async () => {
      const started = Promise.withResolvers<void>();
      const job: Job = {
        name: "crawl",
        description: "runs until stopped",
        async run({ signal }) {
          started.resolve();
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
          return { stopped: 1 };
        },
      };
      const running = runJob(job, secondApp);
      await started.promise;
      // As if its process died: Postgres ends its sessions, and their advisory locks with them.
      await db.sql`
        select pg_terminate_backend(pid) from pg_stat_activity
        where datname = ${db.location} and pid <> pg_backend_pid()`;
      const outcome = await running;
      assert.equal(outcome.status, "interrupted");
      assert.ok(outcome.status === "interrupted" && outcome.reason === LOCK_LOST);
      const quick: Job = { name: "crawl", description: "ok", run: () => Promise.resolve({}) };
      assert.equal((await runJob(quick, firstApp)).status, "succeeded", "the lock was free");
    });
  } finally {
    await otherDb.close();
  }
});
