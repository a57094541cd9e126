// Adversarial point-in-time data: near-duplicates of the query published just before, exactly at
// and just after the as-of instant, a far-future "canary", an item with an estimated date, and
// vectors whose metadata lies about the publication time.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { openTestDatabase } from "../../tests/support/database.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { addTestNews, type TestNewsSpec } from "../../tests/support/news.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { embedPendingNews, NEWS_COLLECTION } from "../embed/embed_news.ts";
import { OfflineEmbedder } from "../embed/offline.ts";
import { BadRequest, NotFound } from "../http/errors.ts";
import { createLogger } from "../log.ts";
import { upsertPriceBars } from "../market/store.ts";
import { upsertStocks } from "../stocks/store.ts";
import { openEmbeddedVectorStore } from "../vectors/embedded.ts";
import type { CollectionName, SearchOptions } from "../vectors/port.ts";
import { findSimilarNews, forwardReturn, type SimilarNews } from "./similar_news.ts";

const quiet = createLogger("error", () => {});
const embedder = new OfflineEmbedder();

const QUERY = "Apple shares surge after record iPhone sales";
/** As of: Wednesday 2024-03-20, 08:00 in New York, before that day's close (20:00Z in EDT). */
const T = new Date("2024-03-20T12:00:00Z");
const SECOND = 1_000;

function addNews(sql: Sql, specs: TestNewsSpec[]): Promise<number[]> {
  return addTestNews(sql, specs, new Date("2024-03-01T00:00:00Z"));
}

/** |actual − expected| within 1e-12; both null is a match too. */
function near(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, what);
    return;
  }
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);
}

const idsOf = (results: SimilarNews[]) => results.map((result) => result.id).sort((a, b) => a - b);

Deno.test("forwardReturn: adjusted closes when both bars have one, else raw closes", () => {
  assert.equal(forwardReturn([100, 110], [null, null], 1), 110 / 100 - 1);
  assert.equal(forwardReturn([100, 110], [50, 60], 1), 60 / 50 - 1);
  assert.equal(forwardReturn([100, 110], [50, null], 1), 110 / 100 - 1);
  assert.equal(forwardReturn([100, 110], [null, 60], 1), 110 / 100 - 1);
  assert.equal(forwardReturn([100], [null], 1), null);
  assert.equal(forwardReturn([], [], 1), null);
  assert.equal(forwardReturn([1, 2, 3, 4, 5], [null, null, null, null, null], 5), null);
});

Deno.test("findSimilarNews: point in time against adversarial data", async (t) => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-similar-");
  const { sql } = db;
  const vectors = await openEmbeddedVectorStore(dir.path, quiet);
  try {
    const ports = { sql, vectors, embedder };
    const [aapl, msft] = await upsertStocks(sql, [
      { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
      { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft" },
      { symbol: "TSLA", exchange: "NASDAQ", name: "Tesla" },
    ]);
    // Trading days after the 2024 DST switch: each bar closes at 16:00 EDT = 20:00Z.
    const days = ["11", "12", "13", "14", "15", "18", "19", "20", "21", "22"]
      .map((day) => `2024-03-${day}`);
    const aaplCloses = [100, 102, 105, 103, 104, 106, 110, 111, 108, 109];
    await upsertPriceBars(sql, aapl, days.map((day, i) => testBar(day, aaplCloses[i])), "test");
    // MSFT: adjusted closes, except on the 19th (raw closes are used when one bar lacks it).
    const msftCloses = [398, 400, 410, 405, 407, 412, 420, 421, 419, 425];
    const msftAdjusted = [199, 200, 206, 202, 203, 206, null, 210, 209, 212];
    await upsertPriceBars(
      sql,
      msft,
      days.map((day, i) => testBar(day, msftCloses[i], { adjClose: msftAdjusted[i] })),
      "test",
    );
    const [{ closed }] = await sql<{ closed: Date }[]>`
      select closed_at as closed from price_bar where stock_id = ${aapl.id} and date = '2024-03-19'`;
    assert.equal(closed.toISOString(), "2024-03-19T20:00:00.000Z");

    const [a, b, c, d, g, h] = await addNews(sql, [
      // A: the query's exact text, before the 12th's close: entry = the 12th.
      { title: QUERY, publishedAt: new Date("2024-03-12T14:00:00Z"), symbols: ["AAPL", "MSFT"] },
      // B: exactly at the 13th's close: that bar closed *at*, not after, the news → entry 14th.
      {
        title: "Apple stock climbs on iPhone demand",
        publishedAt: new Date("2024-03-13T20:00:00Z"),
        symbols: ["AAPL"],
      },
      // C: after the 14th's close → entry the 15th.
      {
        title: "Apple shares jump after strong iPhone sales",
        publishedAt: new Date("2024-03-14T21:00:00Z"),
        symbols: ["AAPL"],
      },
      // D: one second before T (allowed); its entry bar closes after T → no returns yet.
      {
        title: `${QUERY}, analysts say`,
        publishedAt: new Date(T.getTime() - SECOND),
        symbols: ["AAPL"],
      },
      // G: Microsoft only.
      {
        title: "Microsoft shares fall after cloud revenue miss",
        publishedAt: new Date("2024-03-12T15:00:00Z"),
        symbols: ["MSFT"],
      },
      // H: linked to no stock.
      { title: "Markets rally broadly", publishedAt: new Date("2024-03-11T12:00:00Z") },
    ]);
    const [atT, afterT, canary, estimated] = await addNews(sql, [
      { title: `${QUERY} again`, publishedAt: T, symbols: ["AAPL"] },
      {
        title: `${QUERY} today`,
        publishedAt: new Date(T.getTime() + SECOND),
        symbols: ["AAPL"],
      },
      {
        title: QUERY,
        summary: "CANARY: this story is from the future",
        publishedAt: new Date("2099-01-01T00:00:00Z"),
        symbols: ["AAPL", "MSFT"],
      },
      // No date from the source: "published" at its fetch time, two days before T, but untrusted.
      {
        title: `${QUERY} (undated)`,
        publishedAt: null,
        fetchedAt: new Date(T.getTime() - 2 * 86_400_000),
        symbols: ["AAPL"],
      },
    ]);
    const future = [atT, afterT, canary];
    const never = [...future, estimated];
    const embedded = await embedPendingNews({ ...ports, log: quiet }, {});
    assert.deepEqual(embedded, { embedded: 9, skipped: 0, batches: 1 });

    await t.step("as of T: only news published strictly before T", async () => {
      const results = await findSimilarNews(ports, { text: QUERY, asOf: T, k: 50 });
      assert.deepEqual(idsOf(results), [a, b, c, d, g, h].sort((x, y) => x - y));
      assert.equal(results[0].id, a);
      assert.ok(results[0].score > 0.999);
      for (let i = 1; i < results.length; i++) {
        assert.ok(results[i - 1].score >= results[i].score, "best first");
      }
      for (const result of results) assert.ok(result.publishedAt < T);
    });

    await t.step("returns from the first close after the news, only bars closed by T", async () => {
      const results = await findSimilarNews(ports, { text: QUERY, asOf: T, k: 50 });
      const byId = new Map(results.map((result) => [result.id, result]));
      const expect = (id: number, symbol: string | null, r1: number | null, r5: number | null) => {
        const result = byId.get(id)!;
        assert.equal(result.symbol, symbol, `symbol of ${id}`);
        near(result.return1d, r1, `return1d of ${id}`);
        near(result.return5d, r5, `return5d of ${id}`);
      };
      // A (best match AAPL): entry 12th 102 → 13th 105 (+2.941%) → 19th 110 (+7.843%).
      expect(a, "AAPL", 0.029411764705882, 0.078431372549020);
      // B: entry 14th 103 → 15th 104 (+0.971%); five bars on is the 21st, closing after T.
      expect(b, "AAPL", 0.009708737864078, null);
      // C: entry 15th 104 → 18th 106 (+1.923%); the 22nd is after T.
      expect(c, "AAPL", 0.019230769230769, null);
      // D: entry 20th, closing at 20:00Z, after T: nothing is known yet.
      expect(d, "AAPL", null, null);
      // G (MSFT): adjusted 200 → 206 (+3%); the 19th has no adjusted close: raw 400 → 420 (+5%).
      expect(g, "MSFT", 0.03, 0.05);
      expect(h, null, null, null);
    });

    await t.step("a return appears exactly when its last bar has closed", async () => {
      const closeOf19th = new Date("2024-03-19T20:00:00Z");
      const at = await findSimilarNews(ports, { text: QUERY, asOf: closeOf19th, k: 50 });
      near(at.find((result) => result.id === a)!.return5d, 0.078431372549020, "at the close");
      const justBefore = new Date(closeOf19th.getTime() - 1);
      const before = await findSimilarNews(ports, { text: QUERY, asOf: justBefore, k: 50 });
      const early = before.find((result) => result.id === a)!;
      near(early.return5d, null, "1 ms before the close");
      near(early.return1d, 0.029411764705882, "1 ms before the close");
    });

    await t.step("with a symbol: only its news, and its returns", async () => {
      const results = await findSimilarNews(ports, {
        text: QUERY,
        asOf: T,
        k: 50,
        symbol: "msft",
      });
      assert.deepEqual(idsOf(results), [a, g].sort((x, y) => x - y));
      const first = results.find((result) => result.id === a)!;
      assert.equal(first.symbol, "MSFT");
      near(first.return1d, 0.03, "A as MSFT news");
      near(first.return5d, 0.05, "A as MSFT news");
    });

    await t.step("by news id: that item's text, the item itself left out", async () => {
      const results = await findSimilarNews(ports, { newsId: a, asOf: T, k: 50 });
      assert.deepEqual(idsOf(results), [b, c, d, g, h].sort((x, y) => x - y));
      assert.equal(results[0].id, d, "the near-duplicate comes first");
      const fromCanary = await findSimilarNews(ports, { newsId: canary, asOf: T, k: 50 });
      assert.deepEqual(idsOf(fromCanary), [a, b, c, d, g, h].sort((x, y) => x - y));
    });

    const texts = [
      QUERY,
      `${QUERY}\nCANARY: this story is from the future`,
      "CANARY: this story is from the future",
      `${QUERY} today`,
      `${QUERY} again`,
      `${QUERY} (undated)`,
      "Microsoft cloud",
      "zzz",
    ];

    await t.step("the canary, T, T+1s and undated items never come back", async () => {
      for (const text of texts) {
        for (const symbol of [undefined, "AAPL", "MSFT"]) {
          for (const asOf of [T, new Date(), new Date(T.getTime() + SECOND)]) {
            for (const k of [1, 3, 50]) {
              const results = await findSimilarNews(ports, { text, asOf, k, symbol });
              assert.ok(results.length <= k);
              const leaked = results.filter((result) =>
                result.id === canary || result.id === estimated ||
                (asOf === T && future.includes(result.id))
              );
              assert.deepEqual(leaked, [], `${text} / ${symbol} / ${asOf.toISOString()} / ${k}`);
            }
          }
        }
      }
    });

    await t.step("the canary is indexed, yet a future as-of counts as now", async () => {
      const text = `${QUERY}\nCANARY: this story is from the future`;
      // Not vacuous: the vector store holds the canary and finds it first without a time bound.
      const [vector] = (await embedder.embed([text])).vectors;
      const [top] = await vectors.search(NEWS_COLLECTION, vector, { k: 1 });
      assert.equal(top.id, canary);
      const asOf = new Date("2100-01-01T00:00:00Z");
      const results = await findSimilarNews(ports, { text, asOf, k: 50 });
      assert.ok(results.length > 0);
      assert.ok(!results.some((result) => result.id === canary), "asOf 2100 is clamped to now");
    });

    await t.step("stale vectors that lie about the publication time never leak", async () => {
      // As if the vectors had been written with wrong dates (a bug, a restored backup): the
      // vector filter lets them through, the SQL re-check must not.
      const [vector] = (await embedder.embed([QUERY])).vectors;
      await vectors.upsert(
        NEWS_COLLECTION,
        never.map((id) => ({
          id,
          vector,
          symbols: ["AAPL", "MSFT"],
          publishedAt: Date.UTC(2024, 0, 1),
        })),
      );
      for (const text of texts) {
        for (const k of [1, 2, 50]) {
          const results = await findSimilarNews(ports, { text, asOf: T, k });
          assert.deepEqual(results.filter((result) => never.includes(result.id)), []);
        }
      }
      const top = await findSimilarNews(ports, { text: QUERY, asOf: T, k: 2, symbol: "AAPL" });
      assert.deepEqual(top.map((result) => result.id), [a, d]);
      // Like A, k = 1: the first over-fetch (4 hits) is A itself and three stale vectors, all
      // with score 1; the SQL re-check drops them, so the search widens and still finds one.
      const searches: SearchOptions[] = [];
      const spying = new Proxy(vectors, {
        get(target, property) {
          if (property === "search") {
            return (name: CollectionName, vector: Float32Array, options: SearchOptions) => {
              searches.push(options);
              return target.search(name, vector, options);
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const widened = await findSimilarNews(
        { ...ports, vectors: spying },
        { newsId: a, asOf: T, k: 1 },
      );
      assert.deepEqual(widened.map((result) => result.id), [d]);
      // The vector filter is the strict as-of instant itself, in both rounds.
      assert.deepEqual(searches.map((options) => options.publishedBefore), [
        T.getTime(),
        T.getTime(),
      ]);
      assert.deepEqual(searches.map((options) => options.k), [4, 16]);
    });

    await t.step("a stale vector under a stock the item is no longer linked to", async () => {
      const [vector] = (await embedder.embed([QUERY])).vectors;
      await vectors.upsert(NEWS_COLLECTION, [{
        id: h,
        vector,
        symbols: ["TSLA"],
        publishedAt: Date.UTC(2024, 2, 11, 12),
      }]);
      const results = await findSimilarNews(ports, { text: QUERY, asOf: T, k: 50, symbol: "TSLA" });
      assert.deepEqual(results, []);
    });

    await t.step("invalid queries", async () => {
      const bad = [
        { asOf: T, k: 5 },
        { text: QUERY, newsId: a, asOf: T, k: 5 },
        { text: QUERY, asOf: T, k: 0 },
        { text: QUERY, asOf: T, k: 51 },
        { text: QUERY, asOf: T, k: 2.5 },
        { text: QUERY, asOf: new Date(Number.NaN), k: 5 },
        { text: " \u200b ", asOf: T, k: 5 },
        { text: QUERY, asOf: T, k: 5, symbol: "not a symbol!" },
        { newsId: 0, asOf: T, k: 5 },
      ];
      for (const query of bad) {
        await assert.rejects(findSimilarNews(ports, query), BadRequest, JSON.stringify(query));
      }
      await assert.rejects(findSimilarNews(ports, { newsId: 987_654, asOf: T, k: 5 }), NotFound);
      await assert.rejects(
        findSimilarNews(ports, { text: QUERY, asOf: T, k: 5, symbol: "ZZZZ" }),
        NotFound,
      );
    });
  } finally {
    await vectors.close();
  }
});
