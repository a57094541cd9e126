// The app's own pages (routes/, islands/) through the real manifest, against a real (throwaway)
// database: the dashboard's counts, empty state, adapter badges, and the error pages.
import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import { upsertStocks } from "../../lib/stocks/store.ts";
import { openTestDatabase } from "../support/database.ts";
import { withPages } from "../support/pages.ts";

Deno.test("dashboard: empty database shows how to load data and the offline badges", async () => {
  await using db = await openTestDatabase();
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/");
    assert.equal(status, 200);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<link rel="stylesheet" href="\/static\/styles.css"\/>/);
    assert.match(html, /<a href="\/" aria-current="page">Dashboard<\/a>/);
    assert.match(html, /No data yet/);
    assert.match(html, /<code>deno task import prices FILE<\/code>/);
    assert.match(html, /<code>deno task job crawl<\/code>/);
    assert.doesNotMatch(html, /deno task migrate/);
    const databaseBadge = db.kind === "embedded" ? /embedded database \(PGlite\)/ : /PostgreSQL/;
    assert.match(html, databaseBadge);
    assert.match(html, /in-process cache/);
    assert.match(html, /offline models — no OpenAI key/);
    assert.match(html, /<craveny-island data-island="ThemeToggle"/);
  });
});

Deno.test("dashboard: shows the counts once there is data; OpenAI badge with a key", async () => {
  await using db = await openTestDatabase();
  const [apple] = await upsertStocks(db.sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
  ]);
  // Stocks alone (the default universe exists from the first start) are not market data yet.
  await withPages({ db }, async (get) => {
    assert.match((await get("/")).html, /No data yet/);
  });
  const bar = { date: "2024-03-08", open: 1, high: 1, low: 1, close: 1, adjClose: 1, volume: 1 };
  await upsertPriceBars(db.sql, apple, [bar], "test");
  await withPages(
    { db, config: loadConfig({ OPENAI_API_KEY: "sk-test-0123456789abcdefghij" }) },
    async (get) => {
      const { html } = await get("/");
      assert.doesNotMatch(html, /No data yet/);
      assert.match(html, /<dt>Stocks<\/dt><dd>1<\/dd>/);
      assert.match(html, /<dt>Daily price bars<\/dt><dd>1<\/dd>/);
      assert.match(html, /<dt>Predictions<\/dt><dd>0<\/dd>/);
      assert.match(html, /OpenAI models/);
      assert.doesNotMatch(html, /offline models/);
    },
  );
});

Deno.test("dashboard: tables missing → tells how to migrate instead of failing", async () => {
  await using db = await openTestDatabase({ migrate: false });
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/");
    assert.equal(status, 200);
    assert.match(html, /<code>deno task migrate<\/code>/);
  });
});

Deno.test("app error pages: 404 and 500 inside the layout, no details leaked", async () => {
  await using db = await openTestDatabase();
  await withPages({ db }, async (get) => {
    const missing = await get("/no/such/page");
    assert.equal(missing.status, 404);
    assert.match(missing.html, /Page not found/);
    assert.match(missing.html, /<code>\/no\/such\/page<\/code>/);
    assert.match(missing.html, /<header class="site-header">/);
  });
  // A closed database makes the dashboard fail unexpectedly.
  await db.close();
  await withPages({ db }, async (get) => {
    const failed = await get("/");
    assert.equal(failed.status, 500);
    assert.match(failed.html, /Something went wrong/);
    assert.doesNotMatch(failed.html, /CONNECTION_|postgres|\.ts:\d/i);
  });
});
