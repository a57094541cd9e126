import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { upsertStocks } from "../stocks/store.ts";
import {
  addFeed,
  deleteFeed,
  getFeed,
  listFeeds,
  recordFeedFetch,
  setFeedActive,
} from "./feeds_store.ts";

Deno.test("news feed store", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const [apple] = await upsertStocks(sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);

  await t.step("addFeed adds once; the same URL again returns the existing feed", async () => {
    const first = await addFeed(sql, { url: " https://feeds.example/markets.rss " });
    assert.equal(first.created, true);
    assert.deepEqual(
      [first.feed.url, first.feed.title, first.feed.stockId, first.feed.active],
      ["https://feeds.example/markets.rss", null, null, true],
    );
    const again = await addFeed(sql, { url: "https://feeds.example/markets.rss", title: "X" });
    assert.equal(again.created, false);
    assert.equal(again.feed.id, first.feed.id);
    assert.equal(again.feed.title, null);
    const perStock = await addFeed(sql, {
      url: "https://feeds.example/aapl.rss",
      title: "Apple news",
      stockId: apple.id,
    });
    assert.equal(perStock.feed.stockId, apple.id);
    await assert.rejects(addFeed(sql, { url: "feeds.example/x" }), RangeError);
  });

  await t.step("listFeeds, setFeedActive", async () => {
    const [markets, aapl] = await listFeeds(sql);
    assert.equal((await setFeedActive(sql, markets.id, false))?.active, false);
    assert.deepEqual((await listFeeds(sql, { activeOnly: true })).map((feed) => feed.id), [
      aapl.id,
    ]);
    assert.equal(await setFeedActive(sql, 999_999, true), null);
  });

  await t.step(
    "recordFeedFetch keeps validators across failures and header-less 304s",
    async () => {
      const [, aapl] = await listFeeds(sql);
      await recordFeedFetch(sql, aapl.id, {
        etag: '"v1"',
        lastModified: "Mon, 01 Jan 2024",
        error: null,
      });
      let feed = await getFeed(sql, aapl.id);
      assert.deepEqual([feed?.etag, feed?.lastModified, feed?.lastError], [
        '"v1"',
        "Mon, 01 Jan 2024",
        null,
      ]);
      assert.ok(feed?.lastFetchedAt instanceof Date);

      await recordFeedFetch(sql, aapl.id, { etag: '"v2"', lastModified: null, error: "HTTP 503" });
      feed = await getFeed(sql, aapl.id);
      assert.deepEqual([feed?.etag, feed?.lastError], ['"v1"', "HTTP 503"]);

      await recordFeedFetch(sql, aapl.id, { etag: null, lastModified: null, error: null });
      feed = await getFeed(sql, aapl.id);
      assert.deepEqual([feed?.etag, feed?.lastModified, feed?.lastError], [
        '"v1"',
        "Mon, 01 Jan 2024",
        null,
      ]);

      await recordFeedFetch(sql, aapl.id, { etag: '"v3"', lastModified: "Tue", error: null });
      assert.equal((await getFeed(sql, aapl.id))?.etag, '"v3"');
    },
  );

  await t.step("deleteFeed", async () => {
    const [markets] = await listFeeds(sql);
    assert.equal(await deleteFeed(sql, markets.id), true);
    assert.equal(await deleteFeed(sql, markets.id), false);
    assert.equal(await getFeed(sql, markets.id), null);
    assert.equal((await listFeeds(sql)).length, 1);
  });
});
