// The A/B results page through the real manifest, on a throwaway database: variants side by side,
// the pairwise tests (none possible when stocks are split between variants), empty states, 404.
import assert from "node:assert/strict";
import { openTestDatabase } from "../support/database.ts";
import { seedEvaluations } from "../support/evaluations.ts";
import { addTestPredictions } from "../support/predictions.ts";
import { withPages } from "../support/pages.ts";

/** The variants table's rows as [heading, cells…] text, tags stripped. */
function variantRows(html: string): string[][] {
  const table = html.match(/<table class="data-table variants-table">(.*?)<\/table>/s)?.[1] ?? "";
  return [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cell) =>
      cell[1].replace(/<span class="visually-hidden">no data<\/span>/g, "").replace(/<[^>]+>/g, "")
    )
  );
}

Deno.test("experiment page: variants side by side, and why no paired test is possible", async () => {
  await using db = await openTestDatabase();
  const { models, experiment } = await seedEvaluations(db.sql);
  await db.sql`update ab_test set description = ${"Alpha <vs> beta & co"} where id = ${experiment}`;
  await withPages({ db }, async (get) => {
    const { status, html } = await get(`/experiments/${experiment}`);
    assert.equal(status, 200);
    assert.doesNotMatch(html, /NaN|Infinity|undefined/);
    assert.match(html, /<h1>Experiment: judges<\/h1>/);
    assert.match(html, /<li class="badge badge-local">running<\/li>/);
    assert.match(html, /<p>Alpha &lt;vs> beta &amp; co<\/p>/);
    const table = variantRows(html);
    assert.deepEqual(table[0], ["", "A", "B"]);
    assert.deepEqual(table.slice(1, 6), [
      ["Model", "alpha", "beta"],
      ["Weight", "1", "1"],
      ["Predictions", "2", "2"],
      ["Win rate", "100% (34–100%)", "50% (9–91%)"],
      ["p-value", "0.500", "1.000"],
    ]);
    assert.match(html, new RegExp(`<a href="/models/${models.alpha}">alpha</a>`));
    assert.deepEqual(table.find((row) => row[0] === "Mean return"), [
      "Mean return",
      "+2.00%",
      "0.00%",
    ]);
    assert.deepEqual(table.find((row) => row[0] === "IC"), ["IC", "—", "—"]);
    assert.match(
      html,
      /<h3>A vs B<\/h3><p class="verdict"><strong>No paired test possible:<\/strong> A and B made no prediction in common\.<\/p>/,
    );
    assert.match(html, /gives each stock to one variant/);
    assert.match(html, /<details class="glossary">/);
  });
});

Deno.test("experiment page: shared predictions get both paired tests", async () => {
  await using db = await openTestDatabase();
  const { experiment } = await seedEvaluations(db.sql);
  // beta also called alpha's MSFT days, wrongly, under the experiment.
  await addTestPredictions(
    db.sql,
    ["04", "05"].map((day) => ({
      model: "beta",
      symbol: "MSFT",
      asOf: `2024-03-${day}T21:00:00Z`,
      horizon: 1,
      direction: "down" as const,
      confidence: 0.6,
      abTest: { name: "judges", variant: "B" },
      outcome: { realizedReturn: 0.02, result: "loss" as const },
    })),
  );
  await withPages({ db }, async (get) => {
    const { html } = await get(`/experiments/${experiment}`);
    assert.match(
      html,
      /No significant difference between A and B:<\/strong> On the 2 predictions both made, A was right where B was not 2 times, and the reverse 0 times \(McNemar's exact test: p = 0\.500\)\./,
    );
    // Two equal differences resample to a zero-width interval off 0: under 30 shared predictions
    // (MIN_BOOTSTRAP_PAIRS) that is no evidence, so the bootstrap calls no winner either.
    assert.match(
      html,
      /No significant difference between A and B:<\/strong> On the 2 predictions both made, A's return minus B's averaged \+4\.00% per prediction \(95% bootstrap interval \+4\.00% to \+4\.00%\)\./,
    );
    assert.doesNotMatch(html, /significantly ahead/);
    assert.doesNotMatch(html, /gives each stock to one variant/);
  });
});

Deno.test("experiment page: empty state, 404 and 400", async () => {
  await using db = await openTestDatabase();
  const { experiment } = await seedEvaluations(db.sql);
  await withPages({ db }, async (get) => {
    const replay = await get(`/experiments/${experiment}?mode=replay`);
    assert.equal(replay.status, 200);
    assert.match(replay.html, /<h2 id="empty-title">No data yet<\/h2>/);
    assert.match(
      replay.html,
      /No replay clean prediction made for this experiment has been scored/,
    );
    assert.match(replay.html, /<code>deno task job evaluate<\/code>/);
    assert.doesNotMatch(replay.html, /variants-table/);
    assert.equal((await get("/experiments/999999")).status, 404);
    assert.equal((await get("/experiments/judges")).status, 400);
    assert.equal((await get(`/experiments/${experiment}?population=some`)).status, 400);
  });
});
