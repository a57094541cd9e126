// The predictions page and the stock page's "Latest predictions" through the real manifest, on a
// throwaway database: filters without JavaScript, cursor pages, the CSV link, the empty states
// and escaping of what models write.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { upsertStocks } from "../../lib/stocks/store.ts";
import { openTestDatabase } from "../support/database.ts";
import { addTestNews } from "../support/news.ts";
import { addTestModels, addTestPredictions } from "../support/predictions.ts";
import { withPages } from "../support/pages.ts";

const LONG_REASONING = `Services revenue keeps compounding while hardware is flat. ${
  "Margins hold. ".repeat(12)
}The last sentence only shows when opened.`;

async function seed(sql: Sql) {
  await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
    { symbol: "NEWCO", exchange: "NYSE", name: "Newly Listed Co." },
  ]);
  const [services, hostile] = await addTestNews(sql, [
    { title: "Apple services hit a record", publishedAt: new Date("2024-03-04T12:00:00Z") },
    { title: "Apple <b>bold</b> & co", publishedAt: new Date("2024-03-04T13:00:00Z") },
  ], new Date("2024-03-04T14:00:00Z"));
  await addTestModels(sql, [
    { name: "momentum" },
    { name: "gpt-judge", provider: "openai", prompt: "Judge {{symbol}}" },
  ]);
  await addTestPredictions(sql, [
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-04T21:00:00Z",
      direction: "up",
      confidence: 0.6,
      reasoning: "Twenty-day momentum is positive.",
      outcome: { realizedReturn: 0.012, result: "win" },
    },
    {
      model: "gpt-judge",
      symbol: "AAPL",
      asOf: "2024-03-05T21:00:00Z",
      direction: "down",
      confidence: 0.82,
      reasoning: LONG_REASONING,
      citedNewsIds: [services, hostile],
    },
    {
      model: "gpt-judge",
      symbol: "MSFT",
      asOf: "2024-03-06T21:00:00Z",
      horizon: 1,
      direction: "flat",
      confidence: 0.5,
      reasoning: "<script>alert(1)</script> is what the model said",
      mode: "replay",
      contaminated: true,
    },
    {
      model: "momentum",
      symbol: "AAPL",
      asOf: "2024-03-07T21:00:00Z",
      direction: "down",
      confidence: 0.7,
    },
  ]);
}

/** The body rows of the predictions table, as HTML. */
function rows(html: string): string[] {
  const body = html.match(/<tbody>(.*?)<\/tbody>/s)?.[1] ?? "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) => row[1]);
}

const decode = (href: string) => href.replaceAll("&amp;", "&");

Deno.test("predictions page: newest first, with direction in words, outcome and reasoning", async () => {
  await using db = await openTestDatabase();
  await seed(db.sql);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/predictions");
    assert.equal(status, 200);
    assert.match(html, /<a href="\/predictions" aria-current="page">Predictions<\/a>/);
    const [newest, msft, gpt, oldest] = rows(html);
    assert.equal(rows(html).length, 4);
    // Newest first: time, stock link, model, direction with arrow and word, confidence, horizon.
    assert.match(newest, /<time dateTime="2024-03-07T21:00:00.000Z">2024-03-07 21:00 UTC<\/time>/i);
    assert.match(newest, /<a href="\/stocks\/AAPL">AAPL<\/a>/);
    assert.match(
      newest,
      /<span class="direction direction-down"><span aria-hidden="true">▼<\/span> down<\/span>/,
    );
    assert.match(newest, /<td class="number">70%<\/td><td>5 trading days<\/td>/);
    assert.match(newest, /<span class="muted">pending<\/span>/, "no outcome yet");
    assert.match(newest, /<td class="reasoning"><span class="muted">—<\/span><\/td>/);
    // Replay and contaminated are marked, not hidden.
    assert.match(msft, /gpt-judge<span class="prediction-marks">.*replay.*contaminated/);
    assert.match(msft, /1 trading day</);
    assert.match(msft, /▶<\/span> flat/);
    // A known outcome: the result and the realised return.
    assert.match(
      oldest,
      /win <span class="change-up"><span class="visually-hidden">up<\/span>1\.20%/,
    );
    assert.match(oldest, /<td class="reasoning">Twenty-day momentum is positive\.<\/td>/);
    // Long reasoning: its start, then the whole text and the cited news behind <details>.
    assert.match(
      gpt,
      /<details class="prediction-reasoning"><summary>Services revenue [^<]*…<\/summary>/,
    );
    assert.match(
      gpt,
      /<p class="reasoning-text">[^<]*The last sentence only shows when opened\.<\/p>/,
    );
    const cited = [...gpt.matchAll(/<a href="([^"]+)" rel="noopener noreferrer">(.*?)<\/a>/g)];
    assert.deepEqual(cited.map((link) => link[2]), [
      "Apple services hit a record",
      "Apple &lt;b>bold&lt;/b> &amp; co",
    ]);
    // The form offers the registered models; the CSV link carries no filters.
    assert.match(
      html,
      /<select name="model"><option value selected>Any model<\/option><option value="gpt-judge">gpt-judge<\/option><option value="momentum">momentum<\/option><\/select>/,
    );
    assert.match(html, /<a href="\/api\/predictions\?format=csv" download="predictions.csv">/);
    assert.doesNotMatch(html, /Next page/, "one page only");
  });
});

Deno.test("predictions page: the GET form filters without JavaScript", async () => {
  await using db = await openTestDatabase();
  await seed(db.sql);
  await withPages({ db }, async (get) => {
    const { status, html } = await get(
      "/predictions?symbol=aapl&model=momentum&direction=&minConfidence=0.65&from=2024-03-01" +
        "&to=2024-03-31&mode=live&contaminated=exclude",
    );
    assert.equal(status, 200);
    const found = rows(html);
    assert.equal(found.length, 1);
    assert.match(found[0], /2024-03-07 21:00 UTC/);
    // The form shows what was asked.
    assert.match(html, /<input name="symbol" type="text" value="AAPL"/);
    assert.match(html, /<option value="momentum" selected>momentum<\/option>/);
    assert.match(html, /<option value selected>Any direction<\/option>/);
    assert.match(
      html,
      /<input name="minConfidence" type="number" min="0" max="1" step="0.05" value="0.65"/,
    );
    assert.match(html, /<input name="from" type="date" value="2024-03-01"/);
    assert.match(html, /<option value="live" selected>live<\/option>/);
    assert.match(html, /<option value="exclude" selected>Left out<\/option>/);
    // The download has the same selection.
    const csv = decode(html.match(/<a href="(\/api\/predictions\?[^"]+)" download/)?.[1] ?? "");
    assert.deepEqual(Object.fromEntries(new URL(csv, "http://x").searchParams), {
      symbol: "AAPL",
      model: "momentum",
      minConfidence: "0.65",
      from: "2024-03-01",
      to: "2024-03-31",
      mode: "live",
      contaminated: "exclude",
      format: "csv",
    });

    const only = await get("/predictions?contaminated=only");
    assert.equal(rows(only.html).length, 1);
    assert.match(rows(only.html)[0], /MSFT/);

    const none = await get("/predictions?model=nobody");
    assert.equal(none.status, 200);
    assert.match(none.html, /No predictions match these filters\./);
    assert.match(none.html, /<option value="nobody" selected>nobody<\/option>/);
    assert.doesNotMatch(none.html, /No predictions yet/);

    const bad = await get("/predictions?minConfidence=2");
    assert.equal(bad.status, 400);
    assert.match(bad.html, /minConfidence: expected a number from 0 to 1/);
  });
});

Deno.test("predictions page: a Next page link follows the cursor with the same filters", async () => {
  await using db = await openTestDatabase();
  await upsertStocks(db.sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." }]);
  await addTestModels(db.sql, [{ name: "momentum" }, { name: "other" }]);
  // 52 of momentum's calls (more than a page of 50) and one of another model's.
  await addTestPredictions(db.sql, [
    ...Array.from({ length: 52 }, (_, day) => ({
      model: "momentum",
      symbol: "AAPL",
      asOf: new Date(Date.UTC(2024, 0, 1 + day, 21)).toISOString(),
      direction: "up" as const,
      confidence: 0.6,
    })),
    {
      model: "other",
      symbol: "AAPL",
      asOf: "2024-06-01T21:00:00Z",
      direction: "up",
      confidence: 1,
    },
  ]);
  await withPages({ db }, async (get) => {
    const first = await get("/predictions?model=momentum");
    assert.equal(rows(first.html).length, 50);
    const next = first.html.match(/<a href="([^"]+)" rel="next">Next page<\/a>/)?.[1];
    assert.ok(next, "a next page link");
    assert.match(decode(next), /^\/predictions\?model=momentum&cursor=[\w-]+$/);
    const second = await get(decode(next));
    assert.equal(second.status, 200);
    const rest = rows(second.html);
    assert.deepEqual(
      rest.map((row) => row.match(/>(2024-[\d-]+) 21:00 UTC</)?.[1]),
      ["2024-01-02", "2024-01-01"],
      "the two oldest, and not the other model's",
    );
    assert.doesNotMatch(second.html, /Next page/);
  });
});

Deno.test("predictions page: before any prediction, says how predictions get made", async () => {
  await using db = await openTestDatabase();
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/predictions");
    assert.equal(status, 200);
    assert.match(html, /<h2 id="empty-title">No predictions yet<\/h2>/);
    assert.match(html, /<code>deno task job predict<\/code>/);
    assert.match(html, /<code>deno task replay<\/code>/);
    assert.doesNotMatch(html, /<table/);
    assert.match(html, /<select name="model"><option value selected>Any model<\/option><\/select>/);
  });
});

Deno.test("predictions page: what models write is escaped", async () => {
  await using db = await openTestDatabase();
  await seed(db.sql);
  await withPages({ db }, async (get) => {
    const { html } = await get("/predictions");
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&lt;script>alert\(1\)&lt;\/script> is what the model said/);
    const hostile = await get(`/predictions?model=${encodeURIComponent('"><script>x</script>')}`);
    assert.equal(hostile.status, 200);
    assert.doesNotMatch(hostile.html, /<script>x/);
  });
});

Deno.test("stock page: each model's latest prediction, between the chart and the news", async () => {
  await using db = await openTestDatabase();
  await seed(db.sql);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/stocks/AAPL");
    assert.equal(status, 200);
    const start = html.indexOf('id="predictions-title"');
    const end = html.indexOf('id="news-title"');
    assert.ok(html.indexOf("price-chart") < start && start < end, "after the chart, before news");
    const section = html.slice(start, end);
    assert.deepEqual(
      [...section.matchAll(/<li><h3>(.*?)<\/h3>/g)].map((card) => card[1]),
      ["momentum", "gpt-judge"],
      "one per model, newest first",
    );
    // momentum's newest call (03-07) replaces its older one; gpt-judge's only AAPL call follows.
    assert.doesNotMatch(section, /2024-03-04 21:00 UTC/, "momentum's older call is not shown");
    assert.match(
      section,
      /▼<\/span> down<\/span> · 70% confidence · over 5 trading days · as of <time dateTime="2024-03-07T21:00:00.000Z">/i,
    );
    assert.match(section, /82% confidence/);
    assert.match(section, /<p class="reasoning-text">Services revenue [^<]*when opened\.<\/p>/);
    const links = [...section.matchAll(/<a href="([^"]+)" rel="noopener noreferrer">(.*?)<\/a>/g)];
    assert.deepEqual(links.map((link) => link[2]), [
      "Apple services hit a record",
      "Apple &lt;b>bold&lt;/b> &amp; co",
    ]);
    assert.match(section, /<a href="\/predictions\?symbol=AAPL">All predictions for AAPL<\/a>/);

    const newco = await get("/stocks/NEWCO");
    assert.match(
      newco.html,
      /No model has predicted NEWCO yet: run <code>deno task job predict<\/code>/,
    );
  });
});
