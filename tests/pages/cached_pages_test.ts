// The page cache in the real app (Hono, auth middleware, real pages, a throwaway database): a
// visitor's second view is served from memory and revalidates with 304; a job that writes makes
// the next view render again; signed-in requests never see a cached page.
import assert from "node:assert/strict";
import manifest from "../../fresh.gen.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import type { Job } from "../../lib/jobs/job.ts";
import { runJob } from "../../lib/jobs/runner.ts";
import { createLogger } from "../../lib/log.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import { upsertStocks } from "../../lib/stocks/store.ts";
import { startTestApp } from "../support/app.ts";
import { bearerHeaders, cookieHeader, createTestUser, signIn } from "../support/auth.ts";
import { openTestDatabase } from "../support/database.ts";
import { testBar } from "../support/fixtures.ts";

const bars = (html: string) => /<dt>Daily price bars<\/dt><dd>(\d+)<\/dd>/.exec(html)?.[1];

Deno.test("cached pages: served again until a job writes; never to a signed-in user", async () => {
  await using db = await openTestDatabase();
  const [apple] = await upsertStocks(db.sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
  ]);
  await upsertPriceBars(db.sql, apple, [testBar("2024-03-07", 100)], "test");
  const log = createLogger("error", () => {});
  const fresh = await createFreshHandler(manifest, { log });
  const app = await startTestApp({ pages: fresh, app: { db, log } });
  try {
    // The dashboard has no form, so even a first visit gets no cookie: the first view fills the
    // cache. The login page's form binds its CSRF token to a visitor cookie.
    const login = await fetch(`${app.url}/login`);
    await login.body?.cancel();
    const cookie = cookieHeader(login);
    assert.match(cookie, /craveny_visitor=/);
    const view = (headers: Record<string, string> = {}) =>
      fetch(`${app.url}/`, { headers: { cookie, ...headers } });

    // Views render once and come from memory, and browsers revalidate with a 304.
    const miss = await fetch(`${app.url}/`);
    assert.equal(miss.headers.get("set-cookie"), null);
    assert.equal(miss.headers.get("x-page-cache"), "miss");
    assert.equal(bars(await miss.text()), "1");
    const hit = await view();
    assert.equal(hit.headers.get("x-page-cache"), "hit");
    assert.equal(bars(await hit.text()), "1");
    assert.ok(hit.headers.get("content-security-policy"), "security headers on cached pages too");
    const etag = hit.headers.get("etag") ?? "";
    const revalidated = await view({ "if-none-match": etag });
    assert.equal(revalidated.status, 304);
    await revalidated.body?.cancel();

    // A job that wrote something: the next view renders the new data, under a new ETag.
    const crawl: Job = {
      name: "crawl",
      description: "stores a bar",
      async run() {
        await upsertPriceBars(db.sql, apple, [testBar("2024-03-08", 101)], "test");
        return { "prices.inserted": 1 };
      },
    };
    assert.equal((await runJob(crawl, app.context)).status, "succeeded");
    const fresher = await view({ "if-none-match": etag });
    assert.equal(fresher.status, 200);
    assert.equal(fresher.headers.get("x-page-cache"), "miss");
    assert.notEqual(fresher.headers.get("etag"), etag);
    assert.equal(bars(await fresher.text()), "2");

    // Signed in, by cookie or by token: rendered for them, never from or into the cache.
    const user = await signIn(app, await createTestUser(app.context));
    for (const headers of [{ cookie: user.cookie }, bearerHeaders(user.accessToken)]) {
      const personal = await fetch(`${app.url}/`, { headers });
      assert.equal(personal.status, 200);
      assert.equal(personal.headers.get("x-page-cache"), null);
      assert.equal(personal.headers.get("etag"), null);
      await personal.body?.cancel();
    }
  } finally {
    await app.close();
    await fresh.close();
  }
});
