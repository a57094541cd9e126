import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { CalibrationChart } from "./CalibrationChart.tsx";

Deno.test("CalibrationChart: a dot per bucket with outcomes, against the diagonal, and a table", () => {
  const html = renderToString(
    <CalibrationChart
      id="cal"
      buckets={[
        { from: 0.5, to: 0.6, n: 0, meanConfidence: 0, winRate: null },
        { from: 0.6, to: 0.7, n: 30, meanConfidence: 0.65, winRate: 0.55 },
        { from: 0.7, to: 0.8, n: 10, meanConfidence: 0.75, winRate: 0.85 },
      ]}
    />,
  );
  assert.match(html, /aria-labelledby="cal-title cal-desc"/);
  assert.match(html, /<line class="chart-diagonal" x1="48" y1="244" x2="264" y2="12">/);
  const dots = [
    ...html.matchAll(/<circle class="chart-dot" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/g),
  ];
  assert.equal(dots.length, 2, "the empty bucket has no dot");
  assert.ok(Number(dots[0][3]) > Number(dots[1][3]), "the bigger bucket has the bigger dot");
  // Weighted by predictions: (30 × −0.10 + 10 × +0.10) / 40 = −0.05.
  assert.match(html, /the model was right 5 percentage points less often than its confidence said/);
  assert.match(
    html,
    /<td>50%–60%<\/td><td class="number">0<\/td><td class="number"><span class="no-data"/,
  );
  assert.match(
    html,
    /<td>70%–80%<\/td><td class="number">10<\/td><td class="number">75%<\/td><td class="number">85%<\/td>/,
  );
});

Deno.test("CalibrationChart: without wins or losses, a message instead", () => {
  assert.equal(
    renderToString(
      <CalibrationChart
        id="cal"
        buckets={[{ from: 0, to: 0.1, n: 2, meanConfidence: 0.05, winRate: null }]}
      />,
    ),
    '<p class="chart-empty">No wins or losses yet: nothing to calibrate.</p>',
  );
});
