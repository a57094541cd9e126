// The chart.js configuration of an interactive line chart (islands/InteractiveChart.tsx): the
// server chart's series and markers with the page's colours, the shown range as the x axis
// bounds (chart.js then fits the y axis to what is shown), a tooltip listing every series at the
// hovered day, and no animation. Pure, so it is tested without a browser.
import type { ChartConfiguration, ChartDataset, TooltipItem } from "chart.js";
import type { ChartMarker, LineSeries } from "./series.ts";
import type { IndexRange } from "./range.ts";

/** Colours read from the page's CSS (they follow the light or dark theme). */
export interface ChartPalette {
  /** One per series, in order. */
  series: string[];
  grid: string;
  text: string;
  up: string;
  down: string;
}

export interface InteractiveChartData {
  dates: readonly string[];
  series: readonly Pick<LineSeries, "label" | "values" | "dashed">[];
  markers: readonly ChartMarker[];
}

/** The label of the markers' dataset (also the legend's). */
export const MARKER_DATASET = "calls";

function markerDataset(
  data: InteractiveChartData,
  palette: ChartPalette,
): ChartDataset<"line", (number | null)[]> {
  const byIndex = new Map(data.markers.map((marker) => [marker.index, marker]));
  const main = data.series[0]?.values ?? [];
  const at = (index: number) => byIndex.get(index);
  return {
    label: MARKER_DATASET,
    data: data.dates.map((_, index) => (at(index) ? main[index] ?? null : null)),
    showLine: false,
    pointStyle: "triangle",
    pointRadius: data.dates.map((_, index) => (at(index) ? 6 : 0)),
    pointHoverRadius: data.dates.map((_, index) => (at(index) ? 8 : 0)),
    pointRotation: data.dates.map((_, index) => (at(index)?.direction === "down" ? 180 : 0)),
    pointBackgroundColor: data.dates.map((_, index) =>
      at(index)?.direction === "down" ? palette.down : palette.up
    ),
    pointBorderWidth: 0,
  };
}

export function lineChartConfig(
  data: InteractiveChartData,
  palette: ChartPalette,
  range: IndexRange,
  format: (value: number) => string,
): ChartConfiguration<"line", (number | null)[], string> {
  const lines: ChartDataset<"line", (number | null)[]>[] = data.series.map((series, index) => ({
    label: series.label,
    data: [...series.values],
    borderColor: palette.series[index],
    backgroundColor: palette.series[index],
    borderWidth: index === 0 ? 2 : 1.5,
    borderDash: series.dashed ? [6, 4] : [],
    pointRadius: 0,
    pointHitRadius: 6,
    tension: 0,
  }));
  const markers = new Map(data.markers.map((marker) => [marker.index, marker.label]));
  const label = (item: TooltipItem<"line">) =>
    item.dataset.label === MARKER_DATASET
      ? markers.get(item.dataIndex) ?? ""
      : `${item.dataset.label}: ${format(item.parsed.y ?? 0)}`;
  return {
    type: "line",
    data: {
      labels: [...data.dates],
      datasets: data.markers.length > 0 ? [...lines, markerDataset(data, palette)] : lines,
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: {
          min: range.start,
          max: range.end,
          ticks: { color: palette.text, maxTicksLimit: 6, maxRotation: 0, autoSkip: true },
          grid: { color: palette.grid },
        },
        y: {
          ticks: { color: palette.text, callback: (value) => format(Number(value)) },
          grid: { color: palette.grid },
        },
      },
      plugins: {
        legend: { labels: { color: palette.text, usePointStyle: true } },
        tooltip: { callbacks: { label } },
      },
    },
  };
}
