import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { PredictionReasoning } from "./PredictionReasoning.tsx";

const NEWS = [{ id: 7, title: "Apple beats", url: "https://news.example/7" }];
const LINK = '<a href="https://news.example/7" rel="noopener noreferrer">Apple beats</a>';

const render = (reasoning: string | null, citedNews = NEWS) =>
  renderToString(<PredictionReasoning reasoning={reasoning} citedNews={citedNews} />);

Deno.test("PredictionReasoning: short text alone stays plain; nothing at all is a dash", () => {
  assert.equal(render("Momentum is positive.", []), "Momentum is positive.");
  assert.equal(render(null, []), '<span class="muted">—</span>');
});

Deno.test("PredictionReasoning: cited news opens from the reasoning, or from a count", () => {
  assert.equal(
    render("Momentum is positive."),
    '<details class="prediction-reasoning"><summary>Momentum is positive.</summary>' +
      `<ul class="cited-news" aria-label="Cited news"><li>${LINK}</li></ul></details>`,
  );
  assert.match(render(null), /^<details class="prediction-reasoning"><summary>1 cited news</);
});

Deno.test("PredictionReasoning: long text is cut at a word, whole behind <details>", () => {
  const long = `${"word ".repeat(30)}end`;
  const html = render(long, []);
  const summary = html.match(/<summary>(.*?)<\/summary>/)?.[1] ?? "";
  assert.ok(summary.endsWith("word…"), summary);
  assert.ok(Array.from(summary).length <= 120);
  assert.ok(html.includes(`<p class="reasoning-text">${long}</p>`));
  // Code points, not UTF-16 units: no emoji is split in half.
  const emoji = render("📈".repeat(200), []).match(/<summary>(.*?)<\/summary>/)?.[1] ?? "";
  assert.equal(emoji, `${"📈".repeat(119)}…`);
});
