import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { startTestApp } from "../../tests/support/app.ts";
import { encodeCursor } from "../http/query.ts";
import { contentHash } from "../news/content_hash.ts";
import { upsertNews } from "../news/store.ts";
import type { Stock } from "../stocks/stock.ts";
import { upsertStocks } from "../stocks/store.ts";

interface Story {
  slug: string;
  title: string;
  summary?: string;
  publishedAt: string;
  stocks?: Stock[];
}

async function store(sql: Sql, stories: Story[]): Promise<void> {
  await upsertNews(
    sql,
    await Promise.all(stories.map(async (story) => {
      const publishedAt = new Date(story.publishedAt);
      const summary = story.summary ?? null;
      return {
        entry: {
          url: `https://news.example.com/${story.slug}`,
          title: story.title,
          summary,
          publishedAt,
          source: "Example News",
          language: "en",
          symbols: [],
        },
        fetchedAt: publishedAt,
        rawRef: null,
        contentHash: await contentHash(story.title, summary, publishedAt),
        matches: (story.stocks ?? []).map((stock) => ({
          stockId: stock.id,
          score: 0.9,
          matchedOn: stock.symbol,
        })),
      };
    })),
  );
}

interface NewsItem {
  id: number;
  url: string;
  title: string;
  publishedAt: string;
  symbols: string[];
}

interface NewsPage {
  news: NewsItem[];
  nextCursor: string | null;
}

Deno.test("/api/news", async (t) => {
  const app = await startTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  const { sql } = app.context.db;
  const [apple, microsoft] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
  ]);
  // Inserted out of order; two pairs share a publication instant (ties are broken by id).
  await store(sql, [
    {
      slug: "a3",
      title: "Apple earnings beat",
      publishedAt: "2024-03-05T14:00:00Z",
      stocks: [apple],
    },
    {
      slug: "m1",
      title: "Microsoft cloud grows",
      publishedAt: "2024-03-04T12:00:00Z",
      stocks: [microsoft],
    },
    {
      slug: "both",
      title: "Big tech rallies",
      summary: "Apple and Microsoft up",
      publishedAt: "2024-03-05T14:00:00Z",
      stocks: [apple, microsoft],
    },
    {
      slug: "macro",
      title: "Fed holds rates",
      summary: "No 100% certainty",
      publishedAt: "2024-03-06T23:59:59Z",
    },
    {
      slug: "a1",
      title: "Apple sued over App Store",
      publishedAt: "2024-03-01T09:00:00Z",
      stocks: [apple],
    },
    {
      slug: "a2",
      title: "Apple Vision Pro sales",
      publishedAt: "2024-03-03T00:00:00Z",
      stocks: [apple],
    },
    {
      slug: "m2",
      title: "Microsoft and OpenAI",
      publishedAt: "2024-03-03T00:00:00Z",
      stocks: [microsoft],
    },
  ]);

  const get = async (path: string) => {
    const response = await app.app.fetch(new Request(`http://localhost${path}`));
    return { status: response.status, body: await response.json() };
  };
  const slugs = (page: NewsPage) => page.news.map((item) => item.url.split("/").at(-1));
  /** Every page from `path` on, following nextCursor. */
  const walk = async (path: string, from: string | null = null) => {
    const pages: NewsPage[] = [];
    let cursor = from;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const { status, body } = await get(
        cursor === null ? path : `${path}${separator}cursor=${cursor}`,
      );
      assert.equal(status, 200);
      pages.push(body);
      cursor = body.nextCursor;
    } while (cursor !== null && pages.length < 20);
    return pages;
  };
  const newestFirst = ["macro", "both", "a3", "m1", "m2", "a2", "a1"];

  await t.step("newest first, ties by id; items carry their linked symbols", async () => {
    const { status, body } = await get("/api/news");
    assert.equal(status, 200);
    // "both" and "a3" share an instant: the later insert ("both") has the higher id, so it is first.
    assert.deepEqual(slugs(body), newestFirst);
    assert.equal(body.nextCursor, null, "everything fits on one page");
    const both = body.news[1];
    assert.deepEqual(Object.keys(both).sort(), [
      "id",
      "publishedAt",
      "publishedAtEstimated",
      "source",
      "summary",
      "symbols",
      "title",
      "url",
    ]);
    assert.deepEqual(both.symbols, ["AAPL", "MSFT"]);
    assert.equal(both.publishedAt, "2024-03-05T14:00:00.000Z");
    assert.equal(both.publishedAtEstimated, false);
    assert.deepEqual(body.news[0].symbols, []);
  });

  await t.step("filters: symbol, q, from/to (inclusive UTC days), combined", async () => {
    assert.deepEqual(slugs((await get("/api/news?symbol=aapl")).body), ["both", "a3", "a2", "a1"]);
    assert.deepEqual(slugs((await get("/api/news?symbol=MSFT")).body), ["both", "m1", "m2"]);
    assert.deepEqual(slugs((await get("/api/news?symbol=TSLA")).body), []);
    // Title or summary, any case; LIKE wildcards are literal.
    assert.deepEqual(slugs((await get("/api/news?q=APPLE")).body), ["both", "a3", "a2", "a1"]);
    assert.deepEqual(slugs((await get("/api/news?q=100%25")).body), ["macro"]);
    assert.deepEqual(slugs((await get("/api/news?q=_")).body), []);
    assert.deepEqual(slugs((await get("/api/news?from=2024-03-05")).body), ["macro", "both", "a3"]);
    assert.deepEqual(slugs((await get("/api/news?to=2024-03-03")).body), ["m2", "a2", "a1"]);
    assert.deepEqual(slugs((await get("/api/news?from=2024-03-06&to=2024-03-06")).body), ["macro"]);
    assert.deepEqual(
      slugs((await get("/api/news?symbol=AAPL&q=apple&from=2024-03-02&to=2024-03-05")).body),
      ["both", "a3", "a2"],
    );
  });

  await t.step("bad parameters are 400s naming the parameter", async () => {
    for (
      const [query, parameter] of [
        ["from=2024-13-01", "from"],
        ["to=03/05/2024", "to"],
        ["symbol=not%20a%20symbol", "symbol"],
        ["limit=0", "limit"],
        ["limit=101", "limit"],
        ["limit=ten", "limit"],
        ["cursor=garbage", "cursor"],
        ["cursor=%%%", "cursor"],
        [`cursor=${encodeCursor({ publishedAt: "2024-03-05", id: 1 })}`, "cursor"],
        [`cursor=${encodeCursor(["not a date", 1])}`, "cursor"],
        [`cursor=${encodeCursor(["2024-03-05T14:00:00.000Z", 0])}`, "cursor"],
        [`cursor=${encodeCursor(["2024-03-05T14:00:00.000Z", "7"])}`, "cursor"],
      ]
    ) {
      const { status, body } = await get(`/api/news?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.code, "invalid_query", query);
      assert.equal(body.error.details.parameter, parameter, query);
    }
    const reversed = await get("/api/news?from=2024-03-06&to=2024-03-01");
    assert.equal(reversed.status, 400);
    assert.equal(reversed.body.error.message, "from must not be after to");
  });

  await t.step("keyset pages: every item exactly once, in order, at any page size", async () => {
    for (const limit of [1, 2, 3, 6, 7]) {
      const pages = await walk(`/api/news?limit=${limit}`);
      assert.deepEqual(pages.flatMap(slugs), newestFirst, `limit ${limit}`);
      assert.ok(pages.slice(0, -1).every((page) => page.news.length === limit));
      assert.equal(pages.at(-1)?.nextCursor, null);
    }
    // Filters apply on every page.
    const apple = await walk("/api/news?symbol=AAPL&limit=3");
    assert.deepEqual(apple.map(slugs), [["both", "a3", "a2"], ["a1"]]);
  });

  await t.step("a page is stable when newer items arrive between requests", async () => {
    const first = (await get("/api/news?limit=3")).body as NewsPage;
    assert.deepEqual(slugs(first), ["macro", "both", "a3"]);
    await store(sql, [
      { slug: "breaking", title: "Breaking: markets jump", publishedAt: "2024-03-07T10:00:00Z" },
      // Same instant as the last item of the first page, and a higher id.
      { slug: "late", title: "Late copy of a wire story", publishedAt: "2024-03-05T14:00:00Z" },
    ]);
    const rest = await walk("/api/news?limit=3", first.nextCursor);
    assert.deepEqual(rest.flatMap(slugs), ["m1", "m2", "a2", "a1"]);
    assert.deepEqual(
      slugs((await get("/api/news?limit=4")).body),
      ["breaking", "macro", "late", "both"],
      "a fresh first page shows the new items",
    );
  });
});
