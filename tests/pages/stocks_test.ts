// The stock pages through the real manifest against a real (throwaway) database: the list with
// last close and day change, the search form, one stock's chart, stats and news, and the 404s.
import assert from "node:assert/strict";
import type { Database } from "../../lib/db/port.ts";
import type { DailyBar } from "../../lib/market/port.ts";
import type { Direction } from "../../lib/predict/types.ts";
import { priceBars, upsertPriceBars } from "../../lib/market/store.ts";
import { contentHash } from "../../lib/news/content_hash.ts";
import { upsertNews } from "../../lib/news/store.ts";
import { getStock, upsertStocks } from "../../lib/stocks/store.ts";
import { plantEmbeddedCanaryWorld, QUERY } from "../support/canary.ts";
import { openTestDatabase } from "../support/database.ts";
import { testBar } from "../support/fixtures.ts";
import { withPages } from "../support/pages.ts";
import { addTestModels, addTestPredictions } from "../support/predictions.ts";
import { openTestVectorStore } from "../support/vectors.ts";

/** Weekdays from 2024-02-01 on: `closes.length` bars. */
function bars(closes: number[]): DailyBar[] {
  const out: DailyBar[] = [];
  const day = new Date("2024-02-01T00:00:00Z");
  for (const close of closes) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    out.push(testBar(day.toISOString().slice(0, 10), close, { volume: 1e6 }));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

async function seed(db: Database) {
  const [apple, microsoft] = await upsertStocks(db.sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc.", aliases: ["Apple"] },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
    { symbol: "NEWCO", exchange: "NYSE", name: "Newly Listed Co." },
    { symbol: "OLDCO", exchange: "NYSE", name: "Delisted Old Co.", active: false },
  ]);
  // 30 days up by one a day: last close 129, the day before 128.
  const appleBars = bars(Array.from({ length: 30 }, (_, i) => 100 + i));
  await upsertPriceBars(db.sql, apple, appleBars, "test");
  await upsertPriceBars(db.sql, microsoft, bars([400, 390]), "test");
  const story = async (slug: string, title: string, publishedAt: string, matchedOn: string) => {
    const at = new Date(publishedAt);
    return {
      entry: {
        url: `https://news.example.com/${slug}`,
        title,
        summary: null,
        publishedAt: at,
        source: "Example News",
        language: "en",
        symbols: [],
      },
      fetchedAt: at,
      rawRef: null,
      contentHash: await contentHash(title, null, at),
      matches: [{ stockId: apple.id, score: 0.9, matchedOn }],
    };
  };
  await upsertNews(db.sql, [
    await story("old", "Apple ships a phone", "2024-02-20T14:00:00Z", "tagged"),
    await story("new", "Apple <b>beats</b> estimates & more", "2024-03-12T15:30:00Z", "name"),
  ]);
  return { appleBars };
}

Deno.test("stocks list: active stocks with last close and day change", async () => {
  await using db = await openTestDatabase();
  await seed(db);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/stocks");
    assert.equal(status, 200);
    assert.match(html, /<a href="\/stocks" aria-current="page">Stocks<\/a>/);
    assert.match(html, /<form class="search-form" method="get" action="\/stocks" role="search">/);
    const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) => row[1]).slice(1);
    assert.equal(rows.length, 3, "OLDCO is inactive: not listed");
    const [apple, microsoft, newco] = rows;
    assert.match(apple, /<a href="\/stocks\/AAPL">AAPL<\/a>/);
    assert.match(apple, /<td class="number">129\.00<\/td>/);
    assert.match(
      apple,
      /<span class="change-up"><span class="visually-hidden">up<\/span>0\.78%<\/span>/,
    );
    assert.match(apple, /<td>2024-03-13<\/td>/);
    assert.match(microsoft, /<td class="number">390\.00<\/td>/);
    assert.match(microsoft, /class="change-down"><span class="visually-hidden">down<\/span>2\.50%/);
    assert.match(newco, /NEWCO/);
    assert.match(newco, /<td class="number">—<\/td><td class="number">—<\/td>/);
    assert.match(newco, /no prices yet/);
    assert.doesNotMatch(html, /OLDCO/);
  });
});

Deno.test("stocks list: the search form filters without JavaScript and escapes the query", async () => {
  await using db = await openTestDatabase();
  await seed(db);
  await withPages({ db }, async (get) => {
    const apple = await get("/stocks?q=apple");
    assert.equal(apple.status, 200);
    assert.match(
      apple.html,
      /<input id="stock-search" name="q" type="search" value="apple" maxLength="50"/i,
    );
    assert.match(apple.html, /\/stocks\/AAPL/);
    assert.doesNotMatch(apple.html, /\/stocks\/MSFT|\/stocks\/NEWCO/);
    assert.match((await get("/stocks?q=msft")).html, /\/stocks\/MSFT/);

    const hostile = '"><script>alert(1)</script>';
    const { status, html } = await get(`/stocks?q=${encodeURIComponent(hostile)}`);
    assert.equal(status, 200);
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /value=""/);
    assert.match(html, /value="&quot;>&lt;script>alert\(1\)&lt;\/script>"/);
    assert.match(
      html,
      /No active stock matches “&quot;>&lt;script>alert\(1\)&lt;\/script>”/,
    );

    const tooLong = await get(`/stocks?q=${"a".repeat(51)}`);
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.html, /q: expected at most 50 characters/);
  });
});

Deno.test("stock page: chart, stats and the latest news", async () => {
  await using db = await openTestDatabase();
  const { appleBars } = await seed(db);
  const first = appleBars[0].date;
  const last = appleBars.at(-1)?.date;
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/stocks/aapl");
    assert.equal(status, 200);
    assert.match(html, /<a href="\/stocks" aria-current="page">Stocks<\/a>/);
    assert.match(html, /<h1>AAPL <small>Apple Inc\.<\/small><\/h1>/);
    // The chart: an image with a title and a description, close and dashed average lines.
    assert.match(
      html,
      /<svg viewBox="0 0 720 280" role="img" aria-labelledby="chart-AAPL-title chart-AAPL-desc">/,
    );
    assert.match(
      html,
      new RegExp(`<title id="chart-AAPL-title">AAPL daily close, ${first} to ${last}</title>`),
    );
    assert.match(html, /<desc id="chart-AAPL-desc">AAPL closed at 129\.00 on [\d-]+, up 29\.0%/);
    assert.match(html, /<path class="chart-close" d="M[\d.]+ [\d.]+L/);
    assert.match(html, /<path class="chart-average" d="M[\d.]+ [\d.]+L/);
    assert.match(html, /Dashed line: 20-day average\./);
    // Stats.
    assert.match(html, new RegExp(`<dt>Last close \\(${last}\\)</dt><dd>129\\.00 USD</dd>`));
    assert.match(html, /<dt>Day change<\/dt><dd><span class="change-up">.*?0\.78%<\/span><\/dd>/);
    assert.match(html, /<dt>RSI \(14\)<\/dt><dd>100<\/dd>/, "only gains: RSI 100");
    assert.match(html, /<dt>Volatility \(20d, annualised\)<\/dt><dd>[\d.]+%<\/dd>/);
    // News: newest first, escaped, linked.
    const news = html.slice(html.indexOf('id="news-title"'));
    const links = [...news.matchAll(/<a href="([^"]+)" rel="noopener noreferrer">(.*?)<\/a>/g)]
      .map((match) => [match[1], match[2]]);
    assert.deepEqual(links, [
      ["https://news.example.com/new", "Apple &lt;b>beats&lt;/b> estimates &amp; more"],
      ["https://news.example.com/old", "Apple ships a phone"],
    ]);
    assert.match(news, /Example News · 2024-03-12 15:30 UTC · matched on company name/);
    assert.match(news, /2024-02-20 14:00 UTC · matched on the source(&#39;|')s ticker tag/);
  });
});

Deno.test("stock page: the chart is an island over its SVG, a model's turns marked", async () => {
  await using db = await openTestDatabase();
  const { appleBars } = await seed(db);
  await addTestModels(db.sql, [{ name: "momentum" }, { name: "news-tone" }]);
  // Calls are made as of a bar's close (20:00 or 21:00 UTC, by daylight saving time).
  const stored = await priceBars(db.sql, (await getStock(db.sql, "AAPL"))!.id);
  const asOf = (index: number) => stored[index].closedAt.toISOString();
  const calls: [number, Direction][] = [[25, "up"], [26, "up"], [27, "down"], [28, "flat"]];
  await addTestPredictions(db.sql, [
    ...calls.map(([index, direction]) => ({
      model: "momentum",
      symbol: "AAPL",
      asOf: asOf(index),
      horizon: 1,
      direction,
      confidence: 0.7,
      outcome: { realizedReturn: 0.012, result: "win" as const },
    })),
    { model: "news-tone", symbol: "AAPL", asOf: asOf(29), direction: "down", confidence: 0.55 },
  ]);
  await withPages({ db }, async (get) => {
    const { html } = await get("/stocks/AAPL?calls=momentum");
    // The SVG is in the HTML (the page without JavaScript); the island hydrates it.
    assert.match(
      html,
      /<craveny-island data-island="InteractiveChart"[^>]*><figure class="price-chart"><svg/,
    );
    const marks = [
      ...html.matchAll(/class="chart-marker chart-marker-(\w+)"[^>]*><title>([^<]*)</g),
    ];
    assert.deepEqual(marks.map((mark) => mark[1]), ["up", "down"], "only where the call turned");
    assert.equal(
      marks[0][2],
      `momentum: ▲ up, 70%, over 1 trading day, as of ${appleBars[25].date} — win +1.20%`,
    );
    assert.match(html, /Triangles: where momentum's 1-day call turned up/);
    assert.match(html, /<option value="momentum" selected>momentum<\/option>/);

    // By default, the model with the most confident latest up or down call (momentum's is flat).
    const other = await get("/stocks/AAPL");
    assert.match(other.html, /<option value="news-tone" selected>news-tone<\/option>/);
    const otherMarks = [...other.html.matchAll(/class="chart-marker chart-marker-(\w+)"/g)];
    assert.deepEqual(otherMarks.map((mark) => mark[1]), ["down"]);
    const unknown = await get("/stocks/AAPL?calls=nobody");
    assert.equal(unknown.status, 200);
    assert.doesNotMatch(unknown.html, /chart-marker-/);
  });
});

Deno.test("stock page: unknown or malformed symbol → 404 page", async () => {
  await using db = await openTestDatabase();
  await seed(db);
  await withPages({ db }, async (get) => {
    for (const path of ["/stocks/NOPE", "/stocks/not%20a%20symbol", "/stocks/%3Cscript%3E"]) {
      const { status, html } = await get(path);
      assert.equal(status, 404, path);
      assert.match(html, /Page not found/);
      assert.doesNotMatch(html, /<script>/);
    }
  });
});

Deno.test("stock page: no prices yet → a hint instead of a chart; inactive stocks still open", async () => {
  await using db = await openTestDatabase();
  await seed(db);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/stocks/NEWCO");
    assert.equal(status, 200);
    assert.match(html, /No prices for NEWCO yet: run <code>deno task job crawl<\/code>/);
    assert.match(html, /Not enough price history to draw a chart for NEWCO yet\./);
    assert.doesNotMatch(html, /<figure class="price-chart">|<dl class="stats">/);
    assert.match(html, /No news matched to NEWCO yet\./);

    const old = await get("/stocks/OLDCO");
    assert.equal(old.status, 200);
    assert.match(old.html, /<li class="badge badge-local">inactive<\/li>/);

    // Two bars: a chart, but no indicator has enough history.
    const two = await get("/stocks/MSFT");
    assert.match(two.html, /<svg viewBox/);
    assert.match(two.html, /<dt>RSI \(14\)<\/dt><dd>—<\/dd>/);
    assert.doesNotMatch(two.html, /chart-average/, "no average line without 20 closes");
    assert.match(two.html, /Solid line: close\.<\/span>/);
  });
});

Deno.test("stock page: news like this, as of the item, with returns known by then", async () => {
  await using db = await openTestDatabase();
  await using vectors = await openTestVectorStore();
  const planted = await plantEmbeddedCanaryWorld(db.sql, vectors.store);
  await withPages({ db, vectors: vectors.store }, async (get) => {
    const { status, html } = await get(`/stocks/AAPL?like=${planted.oneSecondAfter}`);
    assert.equal(status, 200);
    const section = html.slice(html.indexOf('id="like-this"'));
    assert.match(section, /Earlier news most like “Apple shares surge after record iPhone sales!”/);
    const titles = [...section.matchAll(/rel="noopener noreferrer">(.*?)<\/a>/g)].map((m) => m[1]);
    assert.ok(titles.includes(QUERY), "the item published one second earlier is known");
    assert.ok(titles.includes(`${QUERY} in China`));
    assert.ok(!titles.some((title) => title.startsWith("CANARY")), "the canary never shows");
    assert.ok(!titles.includes(`${QUERY}!`), "the item itself is left out");
    assert.match(
      section,
      /in China<\/a>.*?AAPL after it: <span>1 day <span class="change-up"><span class="visually-hidden">up<\/span>3\.00%/,
    );
    assert.match(section, /5 days <span title="those bars had not closed yet">—<\/span>/);
    // The other items link to their own "news like this"; the shown one does not.
    assert.ok(html.includes(`href="?like=${planted.atAsOf}#like-this"`));
    assert.ok(!html.includes(`href="?like=${planted.oneSecondAfter}#like-this"`));
    assert.ok(!html.includes(`href="?like=${planted.undated}#like-this"`), "undated: no vector");

    assert.equal((await get("/stocks/AAPL?like=999999")).status, 404);
    assert.equal((await get("/stocks/AAPL?like=abc")).status, 400);
  });
});
