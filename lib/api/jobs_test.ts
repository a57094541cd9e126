import assert from "node:assert/strict";
import { startAdminTestApp } from "../../tests/support/admin.ts";
import { startTestApp } from "../../tests/support/app.ts";
import { bearerHeaders, createTestUser, signIn } from "../../tests/support/auth.ts";
import { acquireJobLock } from "../jobs/lock.ts";
import { finishRun, recentRuns, startRun } from "../jobs/store.ts";

Deno.test("/api/jobs", async (t) => {
  const app = await startAdminTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  const { sql } = app.context.db;
  const crawl1 = await startRun(sql, "crawl", "host-a:1");
  await finishRun(sql, crawl1, "succeeded", { "prices.inserted": 40 }, null);
  const embed = await startRun(sql, "embed", "host-a:1");
  await finishRun(sql, embed, "failed", {}, "embedder unavailable");
  const crawl2 = await startRun(sql, "crawl", "host-b:2");
  await finishRun(sql, crawl2, "partial", { "prices.inserted": 3 }, "yahoo AAPL: HTTP 503");
  const running = await startRun(sql, "crawl", "host-b:2");

  const get = async (path: string) => {
    const response = await app.app.fetch(
      new Request(`http://localhost${path}`, { headers: app.adminHeaders }),
    );
    return { status: response.status, body: await response.json() };
  };
  const ids = (body: { runs: { id: number }[] }) => body.runs.map((run) => run.id);

  await t.step("lists runs newest first with status, counts and error", async () => {
    const { status, body } = await get("/api/jobs");
    assert.equal(status, 200);
    assert.deepEqual(ids(body), [running, crawl2, embed, crawl1]);
    const [current, partial] = body.runs;
    assert.equal(current.status, "running");
    assert.equal(current.finishedAt, null);
    assert.deepEqual(current.counts, {});
    assert.equal(partial.job, "crawl");
    assert.equal(partial.status, "partial");
    assert.deepEqual(partial.counts, { "prices.inserted": 3 });
    assert.equal(partial.error, "yahoo AAPL: HTTP 503");
    assert.match(partial.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(partial.finishedAt) >= Date.parse(partial.startedAt));
  });

  await t.step("?job filters by job; ?limit bounds the list", async () => {
    assert.deepEqual(ids((await get("/api/jobs?job=crawl")).body), [running, crawl2, crawl1]);
    assert.deepEqual(ids((await get("/api/jobs?job=embed")).body), [embed]);
    assert.deepEqual(ids((await get("/api/jobs?job=alerts")).body), []);
    assert.deepEqual(ids((await get("/api/jobs?job=all")).body), [running, crawl2, embed, crawl1]);
    assert.deepEqual(ids((await get("/api/jobs?job=crawl&limit=2")).body), [running, crawl2]);
  });

  await t.step("an unknown job or a bad limit is a 400", async () => {
    for (
      const [query, parameter] of [
        ["job=backup", "job"],
        ["job=CRAWL", "job"],
        ["limit=0", "limit"],
        ["limit=201", "limit"],
      ]
    ) {
      const { status, body } = await get(`/api/jobs?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.code, "invalid_query");
      assert.equal(body.error.details.parameter, parameter);
    }
  });
});

Deno.test("POST /api/jobs/:name/run starts a run now, once", async () => {
  const app = await startAdminTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  const post = async (path: string) => {
    const response = await app.app.fetch(
      new Request(`http://localhost${path}`, { method: "POST", headers: app.adminHeaders }),
    );
    return { status: response.status, body: await response.json() };
  };
  // Another run (here, a scheduled one in another process) holds the lock: nothing starts.
  const held = await acquireJobLock(app.context, "evaluate", 60_000);
  assert.ok(held);
  const busy = await post("/api/jobs/evaluate/run");
  assert.equal(busy.status, 409);
  assert.equal(busy.body.error.code, "conflict");
  await held.release();

  const started = await post("/api/jobs/evaluate/run");
  assert.equal(started.status, 202);
  assert.deepEqual(started.body, { job: "evaluate", status: "started" });
  await app.context.background.idle();
  const [run] = await recentRuns(app.context.db.sql, "evaluate", 1);
  assert.equal(run.status, "succeeded");

  const unknown = await post("/api/jobs/backup/run");
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /crawl, embed, predict, evaluate, alerts, housekeep/);
});

Deno.test("/api/jobs is admin only: 401 without a valid token, 403 for investors", async () => {
  const app = await startTestApp();
  try {
    const investor = await createTestUser(app.context);
    const investorToken = (await signIn(app, investor)).accessToken;
    const admin = await createTestUser(app.context, { role: "admin" });
    const adminToken = (await signIn(app, admin)).accessToken;
    const status = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`${app.url}/api/jobs`, { headers });
      const body = await response.json();
      const expectedCode = { 401: "unauthorized", 403: "forbidden" }[response.status];
      assert.equal(body.error?.code, expectedCode);
      return response.status;
    };
    assert.equal(await status(), 401);
    assert.equal(await status({ Authorization: "Bearer wrong" }), 401);
    assert.equal(await status(bearerHeaders(investorToken)), 403);
    assert.equal(await status(bearerHeaders(adminToken)), 200);
    const denied = await fetch(`${app.url}/api/jobs?job=crawl`);
    assert.equal(denied.headers.get("WWW-Authenticate"), 'Bearer realm="craveny"');
    await denied.body?.cancel();
    assert.ok(!app.logs.join("\n").includes(adminToken));
  } finally {
    await app.close();
  }
});
