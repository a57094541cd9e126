// The news search page through the real manifest, on a throwaway database and vector store: the
// GET form without JavaScript, point-in-time results (as /api/news/search) with what each stock
// did afterwards, the latest news known by then, problems said next to the form, escaping.
import assert from "node:assert/strict";
import { upsertStocks } from "../../lib/stocks/store.ts";
import { VectorStoreUnavailable } from "../../lib/vectors/port.ts";
import { AS_OF, plantEmbeddedCanaryWorld, QUERY } from "../support/canary.ts";
import { openTestDatabase } from "../support/database.ts";
import { addTestNews } from "../support/news.ts";
import { withPages } from "../support/pages.ts";
import { openTestVectorStore } from "../support/vectors.ts";

/** The titles of a section's news links, in order. */
function titles(html: string, sectionId: string): string[] {
  const start = html.indexOf(`id="${sectionId}"`);
  assert.ok(start !== -1, `section ${sectionId}`);
  const section = html.slice(start, html.indexOf("</section>", start));
  return [...section.matchAll(/rel="noopener noreferrer">(.*?)<\/a>/g)].map((m) => m[1]);
}

Deno.test("news page: news like a text as of a day, with returns, and the latest news then", async () => {
  await using db = await openTestDatabase();
  await using vectors = await openTestVectorStore();
  const planted = await plantEmbeddedCanaryWorld(db.sql, vectors.store);
  const day = AS_OF.toISOString().slice(0, 10); // 2024-03-20: midnight, before the 12:00 items
  await withPages({ db, vectors: vectors.store }, async (get) => {
    const { status, html } = await get(`/news?q=${encodeURIComponent(QUERY)}&before=${day}`);
    assert.equal(status, 200);
    // The form keeps what was asked.
    assert.match(html, /<form class="filter-form news-search" method="get" action="\/news"/);
    assert.match(html, new RegExp(`<input name="q" type="search" value="${QUERY}"`));
    assert.match(html, /<input name="before" type="date" value="2024-03-20"/);
    const found = titles(html, "results-title");
    assert.ok(found.includes(`${QUERY} in China`));
    for (const title of [QUERY, `${QUERY}!`, `CANARY ${QUERY}`, `${QUERY} (undated)`]) {
      assert.ok(!found.includes(title), `${title} was not published before ${day}`);
    }
    assert.match(html, /as of <time datetime="2024-03-20T00:00:00.000Z">2024-03-20 00:00 UTC/);
    assert.match(
      html,
      /in China<\/a><span class="news-meta">example · <time datetime="2024-03-18T12:00:00.000Z">2024-03-18 12:00 UTC<\/time>/,
    );
    assert.match(
      html,
      /AAPL after it: <span>1 day <span class="change-up"><span class="visually-hidden">up<\/span>3\.00%/,
    );
    // The latest news known by that day, newest first, with the stocks it is about.
    assert.deepEqual(titles(html, "latest-title"), [
      `${QUERY} (undated)`, // fetched on the 19th: known by then, its time marked as estimated
      `${QUERY} in China`,
      "Microsoft cloud revenue beats estimates",
    ]);
    assert.match(html, /\(time estimated\)/);
    assert.match(html, /<a href="\/stocks\/MSFT">MSFT<\/a>/);

    // One stock only, and no search: the latest news about it.
    const msft = await get("/news?symbol=msft");
    assert.equal(msft.status, 200);
    // News dated in the future (the canary) is known to nobody yet, so it is never listed.
    assert.deepEqual(titles(msft.html, "latest-title"), [
      "Microsoft cloud revenue beats estimates",
    ]);
    assert.doesNotMatch(msft.html, /id="results-title"/);
  });
  assert.ok(planted.canary > 0);
});

Deno.test("news page: problems are said by the form; what news says is escaped", async () => {
  await using db = await openTestDatabase();
  await using vectors = await openTestVectorStore();
  await upsertStocks(db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);
  await addTestNews(db.sql, [
    { title: "<script>alert(1)</script> & co", publishedAt: new Date("2024-03-01T12:00:00Z") },
  ], new Date("2024-03-02T00:00:00Z"));
  await withPages({ db, vectors: vectors.store }, async (get) => {
    const empty = await get("/news");
    assert.equal(empty.status, 200);
    assert.match(empty.html, /&lt;script>alert\(1\)&lt;\/script> &amp; co/);
    assert.doesNotMatch(empty.html, /<script>alert/);
    assert.match(empty.html, /no stock matched/);

    const unknown = await get("/news?q=apple&symbol=ZZZZ");
    assert.equal(unknown.status, 404);
    assert.match(unknown.html, /<p class="message-inline" role="alert">no stock ZZZZ<\/p>/);
    assert.match(unknown.html, /<form class="filter-form news-search"/, "the form stays to fix it");

    assert.equal((await get("/news?before=2024-02-30")).status, 400);
    const hostile = await get(`/news?q=${encodeURIComponent('"><script>alert(2)</script>')}`);
    assert.equal(hostile.status, 200);
    assert.doesNotMatch(hostile.html, /<script>alert\(2\)/);
  });

  // Search being down costs the results, not the page.
  const down = new Proxy(vectors.store, {
    get(store, key) {
      if (key === "search") return () => Promise.reject(new VectorStoreUnavailable("down"));
      const value = Reflect.get(store, key, store);
      return typeof value === "function" ? value.bind(store) : value;
    },
  });
  await withPages({ db, vectors: down }, async (get) => {
    const { status, html } = await get("/news?q=apple");
    assert.equal(status, 503);
    assert.match(html, /News search is unavailable right now/);
    assert.match(html, /id="latest-title"/);
  });
});
