import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { upsertStocks } from "../stocks/store.ts";
import type { NewsEntry } from "./port.ts";
import {
  latestPublishedAt,
  listNews,
  newsForStock,
  type NewsToStore,
  type StoredNews,
  upsertNews,
} from "./store.ts";

const fetchedAt = new Date("2024-03-01T12:00:00Z");

function item(
  n: number,
  options: {
    entry?: Partial<NewsEntry>;
    hash?: string;
    matches?: NewsToStore["matches"];
  } = {},
): NewsToStore {
  return {
    entry: {
      url: `https://news.example/${n}`,
      title: `Story ${n}`,
      summary: null,
      publishedAt: new Date(Date.UTC(2024, 1, 1, 0, n)),
      source: "example",
      language: null,
      symbols: [],
      ...options.entry,
    },
    fetchedAt,
    rawRef: null,
    contentHash: options.hash ?? `hash-${n}`,
    matches: options.matches ?? [],
  };
}

const ids = (news: StoredNews[]) => news.map((row) => row.id);

Deno.test("news store: upsert", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const [apple, microsoft] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft" },
  ]);
  const appleMatch = { stockId: apple.id, score: 1, matchedOn: "AAPL" };

  await t.step("inserts; the same batch again is all duplicates", async () => {
    const batch = [item(1, { matches: [appleMatch] }), item(2), item(3)];
    const first = await upsertNews(sql, batch);
    assert.deepEqual({ ...first, ids: first.ids.length }, {
      inserted: 3,
      duplicates: 0,
      linked: 1,
      ids: 3,
    });
    const again = await upsertNews(sql, batch);
    assert.deepEqual(again, { inserted: 0, duplicates: 3, linked: 0, ids: first.ids });
  });

  await t.step("a duplicate by URL or by content hash still gains new links", async () => {
    const microsoftMatch = { stockId: microsoft.id, score: 0.6, matchedOn: "Microsoft" };
    const byHash = item(10, { hash: "hash-1", matches: [appleMatch, microsoftMatch] });
    const byUrl = item(2, { hash: "other", matches: [microsoftMatch] });
    const result = await upsertNews(sql, [byHash, byUrl]);
    assert.equal(result.inserted, 0);
    assert.equal(result.duplicates, 2);
    assert.equal(result.linked, 2);
    const news = await listNews(sql, { limit: 10 });
    assert.equal(news.length, 3);
    assert.deepEqual(news.find((row) => row.url.endsWith("/1"))?.symbols, ["AAPL", "MSFT"]);
    assert.deepEqual(news.find((row) => row.url.endsWith("/2"))?.symbols, ["MSFT"]);
  });

  await t.step("duplicates inside one batch: stored once, links merged", async () => {
    const result = await upsertNews(sql, [
      item(20, { matches: [{ ...appleMatch, score: 0.3 }] }),
      item(21, { hash: "hash-20", matches: [{ ...appleMatch, score: 0.9 }] }),
      item(20, { hash: "x", matches: [{ stockId: microsoft.id, score: 1, matchedOn: null }] }),
    ]);
    assert.equal(result.inserted, 1);
    assert.equal(result.duplicates, 2);
    assert.equal(result.linked, 2);
    assert.equal(new Set(result.ids).size, 1);
    const [link] = await sql<{ score: number }[]>`
      select score from news_stock where news_id = ${result.ids[0]} and stock_id = ${apple.id}`;
    assert.equal(link.score, 0.9);
  });

  await t.step("no publication date: fetched_at, flagged as estimated", async () => {
    const result = await upsertNews(sql, [
      item(30, { entry: { publishedAt: null, summary: "text", language: "en" } }),
    ]);
    const [row] = await listNews(sql, { limit: 1, q: "story 30" });
    assert.equal(row.id, result.ids[0]);
    assert.equal(row.publishedAt.getTime(), fetchedAt.getTime());
    assert.equal(row.publishedAtEstimated, true);
    assert.deepEqual([row.summary, row.language, row.rawRef], ["text", "en", null]);
    const dated = (await listNews(sql, { limit: 5, q: "Story 3" }))
      .find((news) => news.title === "Story 3");
    assert.equal(dated?.publishedAtEstimated, false);
  });

  await t.step("an invalid item rejects the call before anything is written", async () => {
    const [{ count: before }] = await sql<{ count: number }[]>`select count(*) from news`;
    await assert.rejects(
      upsertNews(sql, [item(40), item(41, { entry: { url: "ftp://x/1" } })]),
      /news item 2: url "ftp:\/\/x\/1" is not http\(s\)/,
    );
    await assert.rejects(upsertNews(sql, [item(42, { hash: "" })]), /empty content hash/);
    const [{ count: after }] = await sql<{ count: number }[]>`select count(*) from news`;
    assert.equal(after, before);
    assert.deepEqual(await upsertNews(sql, []), {
      inserted: 0,
      duplicates: 0,
      linked: 0,
      ids: [],
    });
  });
});

Deno.test("news store: listing, search, pagination, point in time", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const [apple] = await upsertStocks(sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);
  const appleMatch = { stockId: apple.id, score: 1, matchedOn: "AAPL" };
  // 30 items; every three share a publication minute, so ties are broken by id.
  const items = Array.from({ length: 30 }, (_, i) =>
    item(i, {
      entry: {
        publishedAt: new Date(Date.UTC(2024, 1, 1, 0, Math.floor(i / 3))),
        summary: i === 7 ? "Up 100% on iPhone_sales" : null,
      },
      matches: i % 2 === 0 ? [appleMatch] : [],
    }));
  await upsertNews(sql, items);

  await t.step("keyset pages are stable while newer items arrive", async () => {
    const all = await listNews(sql, { limit: 100 });
    assert.equal(all.length, 30);
    const seen: number[] = [];
    let before: { publishedAt: Date; id: number } | undefined;
    for (let page = 0; page < 4; page++) {
      const rows = await listNews(sql, { limit: 7, before });
      seen.push(...ids(rows));
      if (rows.length) before = { publishedAt: rows.at(-1)!.publishedAt, id: rows.at(-1)!.id };
      // Something newer arrives between page requests: it must not shift the pages.
      await upsertNews(sql, [item(100 + page, { entry: { publishedAt: new Date() } })]);
    }
    seen.push(...ids(await listNews(sql, { limit: 7, before })));
    assert.deepEqual(seen, ids(all));
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      assert.ok(
        a.publishedAt > b.publishedAt || (a.publishedAt.getTime() === b.publishedAt.getTime() &&
          a.id > b.id),
      );
    }
  });

  await t.step(
    "filters: symbol, time range, case-insensitive search with literal wildcards",
    async () => {
      const apples = await listNews(sql, { symbol: "aapl", limit: 100 });
      assert.equal(apples.length, 15);
      assert.ok(apples.every((row) => row.symbols.includes("AAPL")));
      assert.deepEqual(await listNews(sql, { symbol: "MSFT", limit: 10 }), []);
      assert.deepEqual(await listNews(sql, { symbol: "not a symbol", limit: 10 }), []);
      const range = await listNews(sql, {
        from: new Date(Date.UTC(2024, 1, 1, 0, 2)),
        to: new Date(Date.UTC(2024, 1, 1, 0, 3)),
        limit: 100,
      });
      assert.equal(range.length, 6);
      assert.deepEqual((await listNews(sql, { q: "IPHONE_", limit: 5 })).map((r) => r.title), [
        "Story 7",
      ]);
      assert.equal((await listNews(sql, { q: "100%", limit: 5 })).length, 1);
      assert.equal((await listNews(sql, { q: "1_0", limit: 5 })).length, 0);
      assert.equal((await listNews(sql, { q: "story 2", limit: 50 })).length, 1 + 10);
    },
  );

  await t.step("newsForStock: newest first, strictly before the cut-off", async () => {
    const cutoff = new Date(Date.UTC(2024, 1, 1, 0, 3));
    const rows = await newsForStock(sql, apple.id, { publishedBefore: cutoff, limit: 100 });
    assert.deepEqual(rows.map((row) => row.title), [
      "Story 8",
      "Story 6",
      "Story 4",
      "Story 2",
      "Story 0",
    ]);
    assert.ok(rows.every((row) => row.score === 1 && row.matchedOn === "AAPL"));
    assert.equal((await newsForStock(sql, apple.id, { limit: 3 })).length, 3);
  });
});

Deno.test("latestPublishedAt: the newest publication time of one publisher", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  assert.equal(await latestPublishedAt(sql, "example"), null);
  await upsertNews(sql, [
    item(1, { entry: { publishedAt: new Date("2024-03-01T10:00:00Z") } }),
    item(2, { entry: { publishedAt: new Date("2024-03-05T10:00:00Z") } }),
    item(3, { entry: { publishedAt: new Date("2024-03-03T10:00:00Z") } }),
    item(4, { entry: { publishedAt: new Date("2024-04-01T00:00:00Z"), source: "other" } }),
    // No date of its own: stored at fetchedAt (2024-03-01T12:00Z), older than the newest.
    item(5, { entry: { publishedAt: null } }),
  ]);
  assert.deepEqual(await latestPublishedAt(sql, "example"), new Date("2024-03-05T10:00:00Z"));
  assert.deepEqual(await latestPublishedAt(sql, "other"), new Date("2024-04-01T00:00:00Z"));
  assert.equal(await latestPublishedAt(sql, "nobody"), null);
});
