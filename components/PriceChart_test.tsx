import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { type ChartPoint, PriceChart } from "./PriceChart.tsx";

function points(closes: number[], averages: (number | null)[] = []): ChartPoint[] {
  return closes.map((close, index) => ({
    date: `2024-03-${String(index + 1).padStart(2, "0")}`,
    close,
    average: averages[index] ?? null,
  }));
}

Deno.test("PriceChart: fewer than two points is a message, not a broken chart", () => {
  for (const few of [[], points([10])]) {
    const html = renderToString(<PriceChart symbol="AAPL" points={few} />);
    assert.equal(
      html,
      '<p class="chart-empty">Not enough price history to draw a chart for AAPL yet.</p>',
    );
  }
});

Deno.test("PriceChart: an accessible SVG with a solid close line and a dashed average", () => {
  const html = renderToString(
    <PriceChart
      symbol="BRK.B"
      points={points([100, 110, 90, 120], [null, null, 100, 106.67])}
      averageLabel="3-day average"
      width={400}
      height={200}
    />,
  );
  assert.match(
    html,
    /^<figure class="price-chart"><svg viewBox="0 0 400 200" role="img" aria-labelledby="chart-BRK.B-title chart-BRK.B-desc">/,
  );
  assert.match(
    html,
    /<title id="chart-BRK.B-title">BRK.B daily close, 2024-03-01 to 2024-03-04<\/title>/,
  );
  assert.match(
    html,
    /<desc id="chart-BRK.B-desc">BRK.B closed at 120.00 on 2024-03-04, up 20.0% from 100.00 on 2024-03-01.<\/desc>/,
  );
  // Four close points in one line; the average starts where its warm-up ends (third point).
  const close = /<path class="chart-close" d="([^"]+)"/.exec(html)?.[1] ?? "";
  assert.equal(close.match(/[ML]/g)?.join(""), "MLLL");
  const average = /<path class="chart-average" d="([^"]+)"/.exec(html)?.[1] ?? "";
  assert.equal(average.match(/[ML]/g)?.join(""), "ML");
  assert.equal(
    average.slice(1).split(" ")[0],
    close.split("L")[2].split(" ")[0],
    "same x as close #3",
  );
  assert.match(html, /Solid line: close\. Dashed line: 3-day average\./);
  // Outer date labels point inwards; y ticks are round numbers within the padded range.
  assert.match(html, /<text x="56" y="192" text-anchor="start">2024-03-01<\/text>/);
  assert.match(html, /<text x="384" y="192" text-anchor="end">2024-03-04<\/text>/);
  const ticks = [...html.matchAll(/text-anchor="end">([\d.]+)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(ticks, ["90.00", "100.00", "110.00", "120.00"]);
});

Deno.test("PriceChart: the stylesheet dashes the average line", async () => {
  const css = await Deno.readTextFile(new URL("../static/styles.css", import.meta.url));
  const rule = /\.chart-average\s*\{([^}]*)\}/.exec(css)?.[1] ?? "";
  assert.match(rule, /stroke-dasharray:\s*\d/);
  assert.match(rule, /fill:\s*none/);
});

Deno.test("PriceChart: a flat series and a falling one", () => {
  const flat = renderToString(<PriceChart symbol="KO" points={points([50, 50, 50])} />);
  assert.match(flat, /KO closed at 50.00 on 2024-03-03, up 0.0% from 50.00 on 2024-03-01\./);
  assert.doesNotMatch(flat, /NaN|Infinity/);
  assert.doesNotMatch(flat, /chart-average/, "no average values: no dashed line");
  assert.match(flat, /Solid line: close\.<\/span>/);
  const falling = renderToString(<PriceChart symbol="X" points={points([8, 4])} />);
  assert.match(falling, /X closed at 4.00 on 2024-03-02, down 50.0% from 8.00 on 2024-03-01\./);
});
