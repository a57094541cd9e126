import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { LineChart, type LineChartProps } from "./LineChart.tsx";

const base: LineChartProps = {
  id: "equity",
  title: "Equity",
  summary: "Up 3%.",
  dates: ["2024-03-01", "2024-03-02", "2024-03-03"],
  series: [
    { label: "strategy", values: [0, 0.01, 0.03], class: "chart-strategy" },
    { label: "benchmark", values: [0, -0.01, null], class: "chart-benchmark", dashed: true },
  ],
  formatValue: (value) => `${(value * 100).toFixed(0)}%`,
  empty: "Nothing yet.",
};

Deno.test("LineChart: the first series on top, each named in the legend with its dashing", () => {
  const html = renderToString(<LineChart {...base} />);
  assert.match(
    html,
    /^<figure class="line-chart"><svg viewBox="0 0 720 280" role="img" aria-labelledby="equity-title equity-desc"><title id="equity-title">Equity<\/title><desc id="equity-desc">Up 3%\.<\/desc>/,
  );
  const paths = [...html.matchAll(/<path class="([\w-]+)" d="([^"]+)"/g)];
  assert.deepEqual(paths.map((path) => path[1]), ["chart-benchmark", "chart-strategy"]);
  assert.equal(paths[0][2].match(/[ML]/g)?.join(""), "ML", "a null leaves a gap");
  assert.match(html, /Solid line: strategy\. Dashed line: benchmark\.<\/span><\/figcaption>/);
  assert.doesNotMatch(html, /NaN|Infinity/);
});

Deno.test("LineChart: fewer than two dates or no values is the empty message", () => {
  const empty = '<p class="chart-empty">Nothing yet.</p>';
  assert.equal(renderToString(<LineChart {...base} dates={["2024-03-01"]} />), empty);
  const blank = base.series.map((line) => ({ ...line, values: [null, null, null] }));
  assert.equal(renderToString(<LineChart {...base} series={blank} />), empty);
});

Deno.test("LineChart: a series of zeros gets a band around 0, not a division by zero", () => {
  const html = renderToString(
    <LineChart
      {...base}
      series={[{ label: "flat", values: [0, 0, 0], class: "chart-drawdown" }]}
    />,
  );
  assert.doesNotMatch(html, /NaN|Infinity/);
  assert.match(html, />0%<\/text>/);
  assert.doesNotMatch(html, /Dashed/);
});

Deno.test("LineChart: markers are titled triangles on the main line, named in the legend", () => {
  const html = renderToString(
    <LineChart
      {...base}
      markers={[
        { index: 1, direction: "up", label: "momentum: up <70%>" },
        { index: 2, direction: "down", label: "momentum: down" },
        { index: 5, direction: "up", label: "off the chart" },
      ]}
      markerLegend="Triangles: where the call turned."
    />,
  );
  const marks = [
    ...html.matchAll(
      /<path class="chart-marker chart-marker-(\w+)" d="([^"]+)"><title>([^<]*)<\/title>/g,
    ),
  ];
  assert.deepEqual(marks.map((mark) => [mark[1], mark[3]]), [
    ["up", "momentum: up &lt;70%>"],
    ["down", "momentum: down"],
  ]);
  assert.match(marks[0][2], /^M[\d.]+ [\d.]+L[\d.]+ [\d.]+L[\d.]+ [\d.]+Z$/);
  assert.match(html, /Dashed line: benchmark\. Triangles: where the call turned\.<\/span>/);
  // Without markers the legend says nothing of them.
  assert.doesNotMatch(
    renderToString(<LineChart {...base} markerLegend="Triangles." />),
    /Triangles/,
  );
});
