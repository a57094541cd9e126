// The model leaderboard and model pages through the real manifest, on a throwaway database seeded
// as if the evaluate job had run: ranking by a chosen metric without JavaScript, the lead's
// significance, links to the predictions behind each number, charts, empty states, escaping.
import assert from "node:assert/strict";
import { addTestSnapshots, seedEvaluations, testSummary } from "../support/evaluations.ts";
import { openTestDatabase } from "../support/database.ts";
import { addTestModels } from "../support/predictions.ts";
import { withPages } from "../support/pages.ts";

/** The leaderboard's body rows, as HTML. */
function rows(html: string): string[] {
  const body = html.match(/<table class="data-table leaderboard">.*?<tbody>(.*?)<\/tbody>/s)?.[1] ??
    "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) => row[1]);
}

const modelOf = (row: string) => row.match(/<a href="\/models\/\d+[^"]*">(.*?)<\/a>/)?.[1];
const decode = (href: string) => href.replaceAll("&amp;", "&");

Deno.test("leaderboard: ranked by win rate, with intervals, the lead's test and the glossary", async () => {
  await using db = await openTestDatabase();
  const { models } = await seedEvaluations(db.sql);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/models");
    assert.equal(status, 200);
    assert.match(html, /<a href="\/models" aria-current="page">Models<\/a>/);
    assert.doesNotMatch(html, /NaN|Infinity|undefined/);
    assert.deepEqual(rows(html).map(modelOf), ["alpha", "beta", "gamma", "fresh", "idle"]);
    const [alpha, beta, , fresh] = rows(html);
    assert.match(alpha, /^<td class="number">1<\/td>/);
    assert.match(alpha, new RegExp(`<a href="/models/${models.alpha}">alpha</a>`));
    assert.match(beta, /<span class="badge badge-local">openai<\/span>/);
    // The interval reads as one phrase; returns carry their sign, drawdown and Brier do not.
    assert.match(alpha, />78% \(45–94%\)<\/a>/);
    assert.match(alpha, />\+0\.40%<\/a>/);
    assert.match(alpha, />−0\.10%<\/a>/, "excess vs index is negative");
    assert.match(alpha, />4\.00%<\/a>/);
    assert.match(alpha, />0\.200<\/a>/);
    // Every number links to the predictions behind it.
    const links = [...alpha.matchAll(/<a href="(\/predictions\?[^"]+)">/g)].map((m) =>
      decode(m[1])
    );
    assert.equal(links.length, 15, "n, win rate, p-value and the 12 other metrics");
    assert.ok(
      links.every((link) => link === "/predictions?model=alpha&mode=live&contaminated=exclude"),
    );
    // No data: a dash said as "no data", no rank, no link.
    assert.match(fresh, /^<td class="number"><span class="muted">—<\/span><\/td>/);
    assert.match(fresh, /<span class="visually-hidden">no data<\/span>/);
    assert.doesNotMatch(fresh, /\/predictions\?/);

    assert.match(
      html,
      /<h2 id="lead-title">Yes: alpha's lead over beta is statistically meaningful<\/h2>/,
    );
    assert.match(
      html,
      /On the 32 predictions both made, alpha was right where beta was not 8 times, and the reverse 0 times/,
    );
    assert.match(html, /McNemar's exact test: p = 0\.008/);
    assert.match(html, /<th scope="col" class="number ranked" aria-sort="descending">Win rate/);

    const glossary = html.match(/<details class="glossary">(.*?)<\/details>/s)?.[1] ?? "";
    assert.match(glossary, /<summary>What these numbers mean<\/summary>/);
    assert.match(glossary, /risk-free rate of 0/);
    assert.match(glossary, /A return within ±0\.10% counts as flat/);
    assert.match(glossary, /Net returns pay 5 bps \(0\.05%\)/);
    assert.match(glossary, /<dt>Sortino<\/dt>/);
    assert.match(glossary, /McNemar's exact test/);
  });
});

Deno.test("leaderboard: the GET form ranks by another metric and says when a lead is chance", async () => {
  await using db = await openTestDatabase();
  await seedEvaluations(db.sql);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/models?rankBy=sharpe&window=all&mode=live");
    assert.equal(status, 200);
    assert.deepEqual(rows(html).map(modelOf), ["beta", "alpha", "gamma", "fresh", "idle"]);
    assert.match(html, /<option value="sharpe" selected>Sharpe<\/option>/);
    assert.match(html, /<option value="all" selected>All time<\/option>/);
    assert.match(
      html,
      /<select name="window"><option value="all" selected>All time<\/option><option value="90">/,
    );
    assert.match(
      html,
      /<h2 id="lead-title">No: beta's lead over alpha is not statistically meaningful<\/h2>/,
    );
    // On the 32 calls both made alpha earned 8 × 2% / 32 more; the seeded bootstrap's interval
    // lies wholly below 0.
    assert.match(
      html,
      /alpha is significantly ahead \(5% level\):<\/strong> On the 32 predictions both made, beta's return minus alpha's averaged −0\.50% per prediction \(95% bootstrap interval −\d\.\d\d% to −\d\.\d\d%\)\./,
    );
    assert.match(html, /The ranking between them could be chance\./);
    assert.match(html, /<th scope="col" class="number ranked" aria-sort="descending">Sharpe/);
    assert.match(
      html,
      /<caption>Live predictions, all time\. Ranked by Sharpe, highest first\.<\/caption>/,
    );

    const drawdown = await get("/models?rankBy=maxDrawdown");
    assert.match(drawdown.html, /aria-sort="ascending">Max drawdown/);
    assert.match(drawdown.html, /Ranked by Max drawdown, lowest first\./);

    const bad = await get("/models?rankBy=luck");
    assert.equal(bad.status, 400);
    assert.match(bad.html, /rankBy: expected one of winRate, /);
    assert.equal((await get("/models?window=7")).status, 400);
  });
});

Deno.test("leaderboard: a window's numbers link to predictions from the window's start", async () => {
  await using db = await openTestDatabase();
  await seedEvaluations(db.sql);
  await addTestSnapshots(db.sql, [{
    model: "alpha",
    windowDays: 30,
    population: "contaminated",
    periodStart: "2024-03-05",
    periodEnd: "2024-03-10",
    metrics: testSummary({
      n: 4,
      wins: 3,
      losses: 1,
      winRate: { value: 0.75, low: 0.3, high: 0.95 },
    }),
  }]);
  await withPages({ db }, async (get) => {
    const { html } = await get("/models?window=30&population=contaminated");
    const [alpha] = rows(html);
    assert.equal(modelOf(alpha), "alpha");
    assert.match(
      decode(alpha),
      /<a href="\/predictions\?model=alpha&mode=live&contaminated=only&from=2024-03-05">4<\/a>/,
    );
    assert.match(
      decode(alpha),
      /<a href="\/models\/\d+\?window=30&population=contaminated">alpha<\/a>/,
    );
    assert.match(html, /Live predictions, last 30 days, contaminated predictions only/);
    assert.match(
      html,
      /Only one model has a value for Win rate here: there is no lead to test yet\./,
    );
  });
});

Deno.test("leaderboard: before any evaluation, says how to get one", async () => {
  await using db = await openTestDatabase();
  await addTestModels(db.sql, [{ name: "momentum" }]);
  await withPages({ db }, async (get) => {
    const { status, html } = await get("/models");
    assert.equal(status, 200);
    assert.match(html, /<h2 id="empty-title">No data yet<\/h2>/);
    assert.match(html, /run <code>deno task job evaluate<\/code>/);
    assert.match(html, /<a href="\/models\?mode=replay">Show replay predictions instead<\/a>/);
    assert.doesNotMatch(html, /<table/);
    assert.match(html, /<details class="glossary">/);
  });
});

Deno.test("leaderboard and model page: what a model is called is escaped", async () => {
  await using db = await openTestDatabase();
  const [hostile] = await addTestModels(db.sql, [{ name: '<script>alert(1)</script>&"' }]);
  await addTestSnapshots(db.sql, [{
    model: '<script>alert(1)</script>&"',
    metrics: testSummary({ n: 1, wins: 1, winRate: { value: 1, low: 0.2, high: 1 } }),
  }]);
  await withPages({ db }, async (get) => {
    for (const path of ["/models", `/models/${hostile}`]) {
      const { status, html } = await get(path);
      assert.equal(status, 200, path);
      assert.doesNotMatch(html, /<script>alert/, path);
      assert.match(html, /&lt;script>alert\(1\)&lt;\/script>&amp;&quot;/, path);
      // In a link's query the name is percent-encoded.
      assert.match(html, /\/predictions\?model=%3Cscript%3Ealert%281%29%3C%2Fscript%3E%26%22&amp;/);
    }
  });
});

Deno.test("model page: curves, calibration, per-stock record with links", async () => {
  await using db = await openTestDatabase();
  const { models } = await seedEvaluations(db.sql);
  await withPages({ db }, async (get) => {
    const { status, html } = await get(`/models/${models.alpha}`);
    assert.equal(status, 200);
    assert.match(html, /<h1>alpha<\/h1>/);
    assert.match(html, /<a href="\/models" aria-current="page">Models<\/a>/);
    assert.doesNotMatch(html, /NaN|Infinity|undefined/);
    assert.match(html, /<dt>Win rate<\/dt><dd><span class="interval"[^>]*>78% \(45–94%\)<\/span>/);
    assert.match(html, /Outcomes from 2024-03-03 to 2024-03-10\./);
    // The equity curve: two lines told apart by dashing, named in the legend; title and desc.
    assert.match(
      html,
      /<svg viewBox="0 0 720 280" role="img" aria-labelledby="equity-chart-title equity-chart-desc">/,
    );
    assert.match(
      html,
      /<title id="equity-chart-title">alpha: cumulative return against buy-and-hold<\/title>/,
    );
    assert.match(
      html,
      /<desc id="equity-chart-desc">Following alpha's calls returned −0\.03% from 2024-03-03 to 2024-03-05; holding the same stocks over the same days returned \+3\.03%\.<\/desc>/,
    );
    assert.match(
      html,
      /<path class="chart-benchmark" d="M[^"]+"><\/path><path class="chart-strategy"/,
    );
    assert.match(
      html,
      /Solid line: alpha's calls\. Dashed line: buy-and-hold of the same stocks\./,
    );
    assert.match(
      html,
      /<desc id="drawdown-chart-desc">The deepest fall below a previous high was −2\.00%, on 2024-03-04\.<\/desc>/,
    );
    // Calibration: dots against the diagonal, and the numbers in a table.
    assert.match(html, /<line class="chart-diagonal"/);
    assert.equal([...html.matchAll(/<circle class="chart-dot"/g)].length, 2);
    assert.match(html, /right 38 percentage points more often than its confidence said/);
    assert.match(html, /<td>60%–70%<\/td><td class="number">8<\/td>/);
    // Per stock, most predicted first, each linking to its predictions.
    const stocks = html.match(/<h2 id="stocks-title">.*?<\/table>/s)?.[0] ?? "";
    assert.deepEqual(
      [...stocks.matchAll(/<a href="\/stocks\/(\w+)">/g)].map((m) => m[1]),
      ["AAPL", "AMZN", "GOOGL", "META", "MSFT"],
    );
    assert.match(
      decode(stocks),
      /<a href="\/predictions\?model=alpha&symbol=AAPL&mode=live&contaminated=exclude">8<\/a>/,
    );
    assert.match(html, /<details class="glossary">/);
  });
});

Deno.test("model page: empty states, the contaminated view, 404 and 400", async () => {
  await using db = await openTestDatabase();
  const { models } = await seedEvaluations(db.sql);
  await withPages({ db }, async (get) => {
    const idle = await get(`/models/${models.idle}`);
    assert.equal(idle.status, 200);
    assert.match(idle.html, /<h2 id="empty-title">No data yet<\/h2>/);
    assert.match(idle.html, /idle has no scored live clean predictions \(all time\)/);
    assert.match(idle.html, /<code>deno task job evaluate<\/code>/);
    assert.doesNotMatch(idle.html, /<svg/);

    const replay = await get(`/models/${models.alpha}?mode=replay`);
    assert.match(replay.html, /alpha has no scored replay clean predictions/);
    assert.match(replay.html, /<option value="replay" selected>Replay<\/option>/);

    // beta has a snapshot but no daily performance yet.
    const beta = await get(`/models/${models.beta}`);
    assert.match(beta.html, /No daily performance yet: run <code>deno task job evaluate<\/code>/);

    await addTestSnapshots(db.sql, [{
      model: "alpha",
      population: "contaminated",
      metrics: testSummary({ n: 2, wins: 2, winRate: { value: 1, low: 0.34, high: 1 } }),
    }]);
    const contaminated = await get(`/models/${models.alpha}?population=contaminated`);
    assert.match(contaminated.html, /Daily curves count clean predictions only/);
    assert.doesNotMatch(contaminated.html, /equity-chart/);

    assert.equal((await get("/models/999999")).status, 404);
    const bad = await get("/models/alpha");
    assert.equal(bad.status, 400);
    assert.match(bad.html, /id: expected a positive integer/);
  });
});
