// The point-in-time gate against adversarial data: bars that close after T, news published or
// (live) fetched after T, undated news, a future canary, and similar-news search — nothing dated
// after T may reach a model, in live or replay mode.
import assert from "node:assert/strict";
import { AS_OF, plantPointInTimeNews } from "../../tests/support/canary.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { addTestNews } from "../../tests/support/news.ts";
import { openTestVectorStore } from "../../tests/support/vectors.ts";
import { embedPendingNews } from "../embed/embed_news.ts";
import { OfflineEmbedder } from "../embed/offline.ts";
import { createLogger } from "../log.ts";
import { upsertPriceBars } from "../market/store.ts";
import { getStock } from "../stocks/store.ts";
import { assembleInputs, fingerprintInputs } from "./inputs.ts";

const quiet = createLogger("error", () => {});

Deno.test("assembleInputs: nothing dated after as-of reaches a model", async (t) => {
  await using db = await openTestDatabase();
  await using vectors = await openTestVectorStore();
  const { sql } = db;
  const planted = await plantPointInTimeNews(sql);
  const aapl = (await getStock(sql, "AAPL"))!;
  // AS_OF is 2024-03-20 12:00Z: the bar of the 19th closed at 20:00Z that day, the 20th's not yet.
  await upsertPriceBars(sql, aapl, [
    testBar("2024-03-18", 100),
    testBar("2024-03-19", 101),
    testBar("2024-03-20", 999),
    testBar("2024-03-21", 999),
  ], "test");
  // Published before T but only fetched after it: a live run at T had not seen it.
  const [lateFetched] = await addTestNews(sql, [{
    title: "Apple supplier flags strong orders",
    publishedAt: new Date(AS_OF.getTime() - 3_600_000),
    fetchedAt: new Date(AS_OF.getTime() + 3_600_000),
    symbols: ["AAPL"],
  }], AS_OF);
  const embedder = new OfflineEmbedder();
  await embedPendingNews({ sql, vectors: vectors.store, embedder, log: quiet });
  const ports = { sql, vectors: vectors.store, embedder };
  const inputs = (mode: "live" | "replay") =>
    assembleInputs(ports, { stock: aapl, asOf: AS_OF, horizon: 1, mode, similarK: 10 });
  const after = [planted.oneSecondAfter, planted.canary];

  await t.step("prices: only bars closed by T", async () => {
    const { bars, indicators } = await inputs("live");
    assert.deepEqual(bars.map((bar) => bar.date), ["2024-03-18", "2024-03-19"]);
    assert.equal(indicators.lastClose, 101);
    assert.equal(indicators.return1d, 101 / 100 - 1);
  });

  await t.step("news: published by T; live also fetched by T; replay never undated", async () => {
    const live = (await inputs("live")).news.map((item) => item.id);
    const replay = (await inputs("replay")).news.map((item) => item.id);
    for (const ids of [live, replay]) {
      assert.ok(ids.includes(planted.atAsOf), "published exactly at T is known at T");
      assert.deepEqual(ids.filter((id) => after.includes(id)), []);
    }
    assert.ok(!live.includes(lateFetched), "live: not yet fetched at T");
    assert.ok(replay.includes(lateFetched), "replay: published before T is fair game");
    assert.ok(!replay.includes(planted.undated), "replay: an estimated time proves nothing");
  });

  await t.step("similar news: strictly before T, never the stock's own recent items", async () => {
    for (const mode of ["live", "replay"] as const) {
      const { similar, news, retrieval } = await inputs(mode);
      assert.ok(retrieval.query.length > 0);
      assert.ok(similar.length > 0, "not vacuous: something was retrieved");
      for (const item of similar) {
        assert.ok(
          item.publishedAt < AS_OF,
          `${item.id} published ${item.publishedAt.toISOString()}`,
        );
        assert.ok(!news.some((own) => own.id === item.id));
        assert.ok(![...after, planted.atAsOf, planted.undated].includes(item.id));
      }
    }
  });

  await t.step(
    "the same inputs give the same fingerprint; a backfill changes the news part",
    async () => {
      const first = await fingerprintInputs(await inputs("replay"));
      assert.deepEqual(await fingerprintInputs(await inputs("replay")), first);
      await addTestNews(sql, [{
        title: "Backfilled: Apple analyst day",
        publishedAt: new Date(AS_OF.getTime() - 7_200_000),
        symbols: ["AAPL"],
      }], AS_OF);
      const second = await fingerprintInputs(await inputs("replay"));
      assert.notEqual(second.all, first.all);
      assert.notEqual(second.news, first.news);
      assert.equal(second.bars, first.bars);
    },
  );

  await t.step("a stock without bars gives empty bars and null indicators", async () => {
    const msft = (await getStock(sql, "MSFT"))!;
    const none = await assembleInputs(ports, {
      stock: msft,
      asOf: AS_OF,
      horizon: 5,
      mode: "live",
      similarK: 0,
    });
    assert.deepEqual(none.bars, []);
    assert.equal(none.indicators.lastClose, null);
    assert.deepEqual(none.similar, [], "similarK 0: no retrieval");
  });
});
