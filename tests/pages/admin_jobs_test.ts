// /admin/jobs as an admin: each job's recent runs with counts and errors (escaped), "Run now"
// starting a recorded run in the background, a second trigger while one runs doing nothing but
// saying so, CSRF refusals.
import assert from "node:assert/strict";
import { MemoryCache } from "../../lib/cache/memory.ts";
import type { JobName } from "../../lib/jobs/job.ts";
import { jobLockName } from "../../lib/jobs/runner.ts";
import { finishRun, recentRuns, startRun } from "../../lib/jobs/store.ts";
import { openTestDatabase } from "../support/database.ts";
import { withPages } from "../support/pages.ts";
import { assertFlashRedirect, createAdmin, postForm, submit } from "./admin_forms.ts";

const PATH = "/admin/jobs";

/** Resolves once no run of `job` holds its lock: a background run has finished for good. */
async function lockFreed(cache: MemoryCache, job: JobName): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const lock = await cache.acquireLock(jobLockName(job), 1_000);
    if (lock) return void await lock.release();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`${job} still holds its lock`);
}

Deno.test("admin jobs: recent runs per job with their counts and errors, escaped", async () => {
  await using db = await openTestDatabase();
  const crawl = await startRun(db.sql, "crawl", "test-host");
  await finishRun(
    db.sql,
    crawl,
    "partial",
    { "news.inserted": 12 },
    "feed <script>x</script> down",
  );
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const { status, html } = await page(PATH);
    assert.equal(status, 200);
    for (const job of ["crawl", "embed", "predict", "evaluate", "alerts", "housekeep"]) {
      assert.match(html, new RegExp(`<h2 id="job-${job}">${job}</h2>`));
      assert.match(html, new RegExp(`Run now<span class="visually-hidden"> ${job}</span>`));
    }
    assert.match(html, /<span class="run-status run-partial">partial<\/span>/);
    assert.match(html, /<li>news\.inserted: 12<\/li>/);
    assert.match(html, /<pre class="error-text">feed &lt;script>x&lt;\/script> down<\/pre>/);
    assert.match(html, /No runs yet\./);
  }, { user: admin });
});

Deno.test("admin jobs: Run now records a run in the background; a second trigger says it runs", async () => {
  await using db = await openTestDatabase();
  const cache = new MemoryCache();
  const admin = await createAdmin(db);
  await withPages({ db, cache }, async (page) => {
    const started = await submit(page, PATH, "run", { job: "alerts" });
    assertFlashRedirect(started, PATH, "started-alerts");
    await lockFreed(cache, "alerts");
    const [run] = await recentRuns(db.sql, "alerts");
    assert.equal(run.status, "succeeded");
    const { html } = await page(`${PATH}?flash=started-alerts`);
    assert.match(html, /role="status">alerts started\. Reload this page to follow it\./);

    // Another run (here, in another process) holds the lock.
    const held = await cache.acquireLock(jobLockName("alerts"), 60_000);
    assert.ok(held);
    const busy = await submit(page, PATH, "run", { job: "alerts" });
    assertFlashRedirect(busy, PATH, "busy-alerts");
    await held.release();
    assert.equal((await recentRuns(db.sql, "alerts")).length, 1, "no second run recorded");
  }, { user: admin });
});

Deno.test("admin jobs: a trigger without the page's CSRF token, or for no job, is refused", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    assert.equal((await postForm(page, PATH, { intent: "run", job: "alerts" })).status, 403);
    assert.equal((await submit(page, PATH, "run", { job: "reboot" })).status, 400);
    assert.equal((await recentRuns(db.sql)).length, 0);
  }, { user: admin });
});
