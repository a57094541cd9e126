// /api/news/search over a real index (Milvus Lite in CI): point in time against the planted
// canary data, results that carry their publication time, and clear 400/404/503 answers.
import assert from "node:assert/strict";
import { createEmbedJob } from "../../jobs/embed.ts";
import { AS_OF, plantPointInTimeNews, QUERY } from "../../tests/support/canary.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { startTestApp } from "../../tests/support/app.ts";
import { openTestVectorStore } from "../../tests/support/vectors.ts";
import { runJob } from "../jobs/runner.ts";
import { VectorStoreUnavailable } from "../vectors/port.ts";

interface SearchBody {
  before: string;
  embedder: string;
  results: { id: number; publishedAt: string; symbol: string | null; score: number }[];
}

Deno.test("/api/news/search", async (t) => {
  await using db = await openTestDatabase();
  await using vectors = await openTestVectorStore();
  const server = await startTestApp({ app: { db, vectors: vectors.store } });
  try {
    const planted = await plantPointInTimeNews(db.sql);
    assert.equal((await runJob(createEmbedJob(), server.context)).status, "succeeded");
    const search = async (params: Record<string, string>) => {
      const response = await fetch(`${server.url}/api/news/search?${new URLSearchParams(params)}`);
      return { status: response.status, body: await response.json() };
    };
    const never = [planted.canary, planted.undated];

    await t.step("as of `before`: only earlier news, each with its publication time", async () => {
      const { status, body } = await search({ q: QUERY, before: AS_OF.toISOString() });
      assert.equal(status, 200);
      const { before, embedder, results } = body as SearchBody;
      assert.equal(before, AS_OF.toISOString());
      assert.equal(embedder, server.context.embedder.id);
      assert.deepEqual(results.map((r) => r.id).sort((a, b) => a - b), planted.earlier);
      for (const result of results) assert.ok(new Date(result.publishedAt) < AS_OF);
      assert.ok(results[0].score >= results.at(-1)!.score, "best first");
    });

    await t.step("one second later the item published at T is known; T+1s is not", async () => {
      const { body } = await search({
        q: QUERY,
        before: new Date(AS_OF.getTime() + 1_000).toISOString(),
      });
      const ids = (body as SearchBody).results.map((r) => r.id);
      assert.ok(ids.includes(planted.atAsOf));
      assert.ok(!ids.includes(planted.oneSecondAfter));
    });

    await t.step(
      "the canary never comes back: default as-of, far future, like=canary",
      async () => {
        const queries: Record<string, string>[] = [
          { q: `CANARY ${QUERY}` },
          { q: `CANARY ${QUERY}`, before: "2099-12-31" },
          { like: String(planted.canary), k: "50" },
          { q: QUERY, symbol: "aapl", before: "2100-01-01T00:00:00Z" },
        ];
        for (const params of queries) {
          const { status, body } = await search(params);
          assert.equal(status, 200, JSON.stringify(body));
          const { before, results } = body as SearchBody;
          assert.ok(new Date(before).getTime() <= Date.now(), "a future before counts as now");
          assert.ok(results.length > 0);
          assert.deepEqual(results.filter((r) => never.includes(r.id)), [], JSON.stringify(params));
        }
      },
    );

    await t.step("symbol filters to that stock's news", async () => {
      const { body } = await search({ q: QUERY, symbol: "MSFT", before: AS_OF.toISOString() });
      assert.deepEqual((body as SearchBody).results.map((r) => r.symbol), ["MSFT"]);
    });

    await t.step("bad input: 400 naming the problem, 404 for unknown things", async () => {
      const cases: [Record<string, string>, number, RegExp][] = [
        [{}, 400, /q \(a text\) or like/],
        [{ q: "x", like: "1" }, 400, /not both/],
        [{ q: " \u200b " }, 400, /q \(a text\) or like|cannot be searched/],
        [{ q: "x".repeat(2_001) }, 400, /at most 2000/],
        [{ q: "x", before: "yesterday" }, 400, /before/],
        [{ q: "x", k: "0" }, 400, /k: expected an integer from 1 to 50/],
        [{ q: "x", k: "51" }, 400, /k: expected/],
        [{ q: "x", symbol: "<b>" }, 400, /symbol/],
        [{ q: "x", symbol: "ZZZZ" }, 404, /no stock ZZZZ/],
        [{ like: "999999999" }, 404, /no news item 999999999/],
      ];
      for (const [params, status, message] of cases) {
        const response = await search(params);
        assert.equal(response.status, status, JSON.stringify(params));
        assert.match(response.body.error.message, message, JSON.stringify(params));
      }
    });
  } finally {
    await server.close();
  }
});

Deno.test("/api/news/search: an unreachable vector store is a 503, not a 500", async () => {
  await using db = await openTestDatabase();
  await using vectors = await openTestVectorStore();
  const down = new Proxy(vectors.store, {
    get(target, property) {
      if (property === "search") {
        return () => Promise.reject(new VectorStoreUnavailable("connection refused"));
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const server = await startTestApp({ app: { db, vectors: down } });
  try {
    const response = await fetch(`${server.url}/api/news/search?q=apple`);
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), {
      error: { code: "search_unavailable", message: "News search is unavailable right now" },
    });
  } finally {
    await server.close();
  }
});
