import assert from "node:assert/strict";
import type { TooltipItem } from "chart.js";
import { type ChartPalette, lineChartConfig, MARKER_DATASET } from "./chartjs_config.ts";

const palette: ChartPalette = {
  series: ["rgb(1, 1, 1)", "rgb(2, 2, 2)"],
  grid: "rgb(3, 3, 3)",
  text: "rgb(4, 4, 4)",
  up: "rgb(0, 128, 0)",
  down: "rgb(200, 0, 0)",
};
const data = {
  dates: ["2024-03-01", "2024-03-04", "2024-03-05"],
  series: [
    { label: "close", values: [10, 11, 12] },
    { label: "20-day average", values: [null, 10.5, 11], dashed: true },
  ],
  markers: [{ index: 1, direction: "down" as const, label: "momentum: down 70%" }],
};
const price = (value: number) => value.toFixed(2);

Deno.test("lineChartConfig: the series in the page's colours, dashing kept, gaps kept", () => {
  const config = lineChartConfig(data, palette, { start: 1, end: 2 }, price);
  const [close, average] = config.data.datasets;
  assert.deepEqual(config.data.labels, data.dates);
  assert.deepEqual(close.data, [10, 11, 12]);
  assert.equal(close.borderColor, "rgb(1, 1, 1)");
  assert.deepEqual(close.borderDash, []);
  assert.deepEqual(average.data, [null, 10.5, 11]);
  assert.deepEqual(average.borderDash, [6, 4]);
  assert.equal(config.options?.animation, false);
  const x = config.options?.scales?.x;
  assert.equal(x?.min, 1, "the range bounds the x axis");
  assert.equal(x?.max, 2);
});

Deno.test("lineChartConfig: markers are triangles on the main line, pointing their way", () => {
  const config = lineChartConfig(data, palette, { start: 0, end: 2 }, price);
  const markers = config.data.datasets[2];
  assert.equal(markers.label, MARKER_DATASET);
  assert.equal(markers.showLine, false);
  assert.deepEqual(markers.data, [null, 11, null]);
  assert.deepEqual(markers.pointRotation, [0, 180, 0]);
  assert.deepEqual(markers.pointBackgroundColor, [palette.up, palette.down, palette.up]);
  assert.equal(
    lineChartConfig({ ...data, markers: [] }, palette, { start: 0, end: 2 }, price)
      .data.datasets.length,
    2,
  );
});

Deno.test("lineChartConfig: the tooltip formats values and names the call of a marker", () => {
  const config = lineChartConfig(data, palette, { start: 0, end: 2 }, price);
  const label = config.options?.plugins?.tooltip?.callbacks?.label;
  assert.ok(label);
  const item = (dataset: string, index: number, y: number) =>
    ({ dataset: { label: dataset }, dataIndex: index, parsed: { y } }) as TooltipItem<"line">;
  assert.equal(label.call(undefined as never, item("close", 0, 10)), "close: 10.00");
  assert.equal(
    label.call(undefined as never, item(MARKER_DATASET, 1, 11)),
    "momentum: down 70%",
  );
});
