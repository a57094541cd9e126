import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { upsertStocks } from "../stocks/store.ts";
import { openTestDatabase } from "../../tests/support/database.ts";
import { addTestNews } from "../../tests/support/news.ts";
import { addTestModels, addTestPredictions } from "../../tests/support/predictions.ts";
import {
  countPredictions,
  latestPredictionsForStock,
  type ListedPrediction,
  listPredictions,
  type PredictionFilters,
  predictionModelNames,
} from "./query.ts";

/** Six predictions, named by what distinguishes them; stored in this order (ids ascend). */
async function seed(sql: Sql) {
  const [apple, microsoft] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
  ]);
  const [beats, slows] = await addTestNews(sql, [
    { title: "Apple beats estimates", publishedAt: new Date("2024-03-04T12:00:00Z") },
    { title: "iPhone sales slow", publishedAt: new Date("2024-03-04T13:00:00Z") },
  ], new Date("2024-03-04T14:00:00Z"));
  await addTestModels(sql, [
    { name: "momentum" },
    { name: "gpt-judge", provider: "openai", prompt: "Judge {{symbol}}" },
    { name: "claude-judge", provider: "openrouter", prompt: "Assess {{symbol}}" },
  ]);
  const names = [
    "momentum-aapl",
    "gpt-aapl",
    "momentum-msft-last-ms",
    "gpt-msft-midnight",
    "claude-aapl-old",
    "momentum-aapl-newest",
  ];
  const ids = await addTestPredictions(sql, [
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      direction: "up",
      confidence: 0.6,
      cost: 0,
      outcome: { realizedReturn: 0.012, result: "win" },
    },
    {
      model: "gpt-judge",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      direction: "down",
      confidence: 0.8,
      reasoning: "Slowing iPhone sales outweigh the beat.",
      citedNewsIds: [slows, beats],
      abTest: { name: "judges", variant: "B" },
      inputTokens: 1200,
      outputTokens: 150,
      cost: 0.0021,
    },
    {
      model: "momentum",
      symbol: "MSFT",
      asOf: "2024-03-05T23:59:59.999Z",
      direction: "flat",
      confidence: 0.4,
      mode: "replay",
    },
    {
      model: "gpt-judge",
      symbol: "MSFT",
      asOf: "2024-03-06T00:00:00Z",
      direction: "up",
      confidence: 0.9,
      contaminated: true,
    },
    {
      model: "claude-judge",
      symbol: "AAPL",
      asOf: "2024-03-01T21:00:00Z",
      direction: "up",
      confidence: 0.55,
      mode: "replay",
      contaminated: true,
      outcome: { realizedReturn: -0.03, result: "loss" },
    },
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-06T21:00:00Z",
      horizon: 1,
      direction: "down",
      confidence: 0.7,
    },
  ]);
  const nameOf = new Map(ids.map((id, i) => [id, names[i]]));
  return {
    apple,
    microsoft,
    news: { beats, slows },
    id: (name: string) => ids[names.indexOf(name)],
    named: (rows: ListedPrediction[]) => rows.map((row) => nameOf.get(row.id)),
  };
}

const NEWEST_FIRST = [
  "momentum-aapl-newest",
  "gpt-msft-midnight",
  "momentum-msft-last-ms",
  "gpt-aapl", // same as_of as momentum-aapl: the higher id first
  "momentum-aapl",
  "claude-aapl-old",
];

Deno.test("listPredictions", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;
  const { news, id, named } = await seed(sql);
  const list = (filters: PredictionFilters) => listPredictions(sql, filters, { limit: 100 });

  await t.step("newest as_of first, ties by id; every field of a row", async () => {
    const rows = await list({});
    assert.deepEqual(named(rows), NEWEST_FIRST);
    const gpt = rows.find((row) => row.id === id("gpt-aapl"));
    assert.ok(gpt);
    const { createdAt, ...fields } = gpt;
    assert.ok(createdAt instanceof Date);
    assert.deepEqual(fields, {
      id: id("gpt-aapl"),
      model: { name: "gpt-judge", provider: "openai" },
      symbol: "AAPL",
      asOf: new Date("2024-03-04T21:00:00Z"),
      horizon: 5,
      direction: "down",
      confidence: 0.8,
      reasoning: "Slowing iPhone sales outweigh the beat.",
      citedNews: [
        { id: news.slows, title: "iPhone sales slow", url: gpt.citedNews[0].url },
        { id: news.beats, title: "Apple beats estimates", url: gpt.citedNews[1].url },
      ],
      abTest: "judges",
      variant: "B",
      mode: "live",
      contaminated: false,
      cost: 0.0021,
      inputTokens: 1200,
      outputTokens: 150,
      outcome: null,
    });
    assert.match(gpt.citedNews[0].url, /^https:\/\/news\.example\//);
    const momentum = rows.find((row) => row.id === id("momentum-aapl"));
    assert.deepEqual(momentum?.outcome, { realizedReturn: 0.012, result: "win" });
    assert.deepEqual(momentum?.citedNews, []);
    assert.equal(momentum?.abTest, null);
    assert.equal(momentum?.reasoning, null);
  });

  await t.step("each filter, and filters combined", async () => {
    assert.deepEqual(named(await list({ symbol: "MSFT" })), [
      "gpt-msft-midnight",
      "momentum-msft-last-ms",
    ]);
    assert.deepEqual(named(await list({ symbol: "TSLA" })), []);
    assert.deepEqual(named(await list({ model: "gpt-judge" })), ["gpt-msft-midnight", "gpt-aapl"]);
    assert.deepEqual(named(await list({ model: "no-such-model" })), []);
    assert.deepEqual(named(await list({ direction: "down" })), [
      "momentum-aapl-newest",
      "gpt-aapl",
    ]);
    assert.deepEqual(named(await list({ minConfidence: 0.7 })), [
      "momentum-aapl-newest",
      "gpt-msft-midnight",
      "gpt-aapl",
    ]);
    assert.deepEqual(named(await list({ mode: "replay" })), [
      "momentum-msft-last-ms",
      "claude-aapl-old",
    ]);
    assert.deepEqual(
      named(await list({ symbol: "AAPL", mode: "live", minConfidence: 0.6, direction: "up" })),
      ["momentum-aapl"],
    );
  });

  await t.step("from/to are inclusive UTC days of as_of", async () => {
    assert.deepEqual(named(await list({ to: "2024-03-05" })), NEWEST_FIRST.slice(2));
    assert.deepEqual(named(await list({ from: "2024-03-06" })), NEWEST_FIRST.slice(0, 2));
    assert.deepEqual(named(await list({ from: "2024-03-05", to: "2024-03-05" })), [
      "momentum-msft-last-ms",
    ]);
    assert.deepEqual(named(await list({ from: "2024-03-02", to: "2024-03-04" })), [
      "gpt-aapl",
      "momentum-aapl",
    ]);
  });

  await t.step("contaminated: include (default), exclude, only", async () => {
    assert.deepEqual(named(await list({ contaminated: "include" })), NEWEST_FIRST);
    assert.deepEqual(named(await list({ contaminated: "exclude" })), [
      "momentum-aapl-newest",
      "momentum-msft-last-ms",
      "gpt-aapl",
      "momentum-aapl",
    ]);
    assert.deepEqual(named(await list({ contaminated: "only" })), [
      "gpt-msft-midnight",
      "claude-aapl-old",
    ]);
  });

  await t.step("keyset pages cover every row once, ties included, at any page size", async () => {
    for (const limit of [1, 2, 3, 4, 5, 6, 7]) {
      const seen: ListedPrediction[] = [];
      let page: ListedPrediction[];
      do {
        const last = seen.at(-1);
        page = await listPredictions(sql, {}, {
          limit,
          before: last && { asOf: last.asOf, id: last.id },
        });
        seen.push(...page);
      } while (page.length === limit);
      assert.deepEqual(named(seen), NEWEST_FIRST, `limit ${limit}`);
    }
    // The cursor combines with filters.
    const after = await listPredictions(sql, { symbol: "AAPL" }, {
      limit: 10,
      before: { asOf: new Date("2024-03-04T21:00:00Z"), id: id("gpt-aapl") },
    });
    assert.deepEqual(named(after), ["momentum-aapl", "claude-aapl-old"]);
  });

  await t.step("cited news that no longer exists is left out", async () => {
    await sql`delete from news where id = ${news.slows}`;
    const [gpt] = await list({ model: "gpt-judge", symbol: "AAPL" });
    assert.deepEqual(gpt.citedNews.map((item) => item.id), [news.beats]);
  });
});

Deno.test("countPredictions counts matches after the cursor, no further than upTo", async () => {
  await using db = await openTestDatabase();
  const { id } = await seed(db.sql);
  assert.equal(await countPredictions(db.sql, {}, { upTo: 100 }), 6);
  assert.equal(await countPredictions(db.sql, {}, { upTo: 4 }), 4);
  assert.equal(await countPredictions(db.sql, { symbol: "MSFT" }, { upTo: 100 }), 2);
  const before = { asOf: new Date("2024-03-04T21:00:00Z"), id: id("gpt-aapl") };
  assert.equal(await countPredictions(db.sql, {}, { before, upTo: 100 }), 2);
});

Deno.test("latestPredictionsForStock: each model's newest call, newest first", async () => {
  await using db = await openTestDatabase();
  const { apple, microsoft, named } = await seed(db.sql);
  const latest = await latestPredictionsForStock(db.sql, apple.id, 10);
  // momentum's 03-06 call replaces its 03-04 one; claude's only call is the oldest.
  assert.deepEqual(named(latest), ["momentum-aapl-newest", "gpt-aapl", "claude-aapl-old"]);
  assert.equal(latest[1].citedNews.length, 2, "with reasoning and cited news");
  assert.deepEqual(named(await latestPredictionsForStock(db.sql, apple.id, 2)), [
    "momentum-aapl-newest",
    "gpt-aapl",
  ]);
  assert.deepEqual(named(await latestPredictionsForStock(db.sql, microsoft.id, 10)), [
    "gpt-msft-midnight",
    "momentum-msft-last-ms",
  ]);
  const [other] = await upsertStocks(db.sql, [{ symbol: "NEWCO", exchange: "NYSE", name: "New" }]);
  assert.deepEqual(await latestPredictionsForStock(db.sql, other.id, 10), []);
});

Deno.test("predictionModelNames: every model, by name", async () => {
  await using db = await openTestDatabase();
  assert.deepEqual(await predictionModelNames(db.sql), []);
  await seed(db.sql);
  assert.deepEqual(await predictionModelNames(db.sql), ["claude-judge", "gpt-judge", "momentum"]);
});
