import assert from "node:assert/strict";
import { readDataVersion } from "../cache/data_version.ts";
import { openTestDatabase, type TestDatabase } from "../../tests/support/database.ts";
import { openTestCaches } from "../../tests/support/cache.ts";
import { openTestContext, type TestContext } from "../../tests/support/context.ts";
import type { AppContext } from "../context.ts";
import { createLogger } from "../log.ts";
import type { Job } from "./job.ts";
import { mayHaveWritten, runJob } from "./runner.ts";
import { recentRuns } from "./store.ts";

function context(db: TestDatabase, cache: AppContext["cache"]): Promise<TestContext> {
  return openTestContext({ db, cache, log: createLogger("error", () => {}) });
}

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
      const run = async (counts: Record<string, number>) => {
        const before = await readDataVersion(app.cache);
        const job: Job = {
          name: "crawl",
          description: "counts",
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
