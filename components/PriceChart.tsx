// A stock's daily closes as a LineChart, with its moving average dashed so the two lines differ by
// more than colour, and optionally the calls made on it marked; interactive once its island
// hydrates.
import InteractiveChart from "../islands/InteractiveChart.tsx";
import { formatPrice } from "../lib/charts/format.ts";
import type { ChartMarker } from "../lib/charts/series.ts";
import { ChartEmpty } from "./LineChart.tsx";

export interface ChartPoint {
  date: string;
  close: number;
  /** Optional overlay, e.g. a 20-day simple moving average (null during warm-up). */
  average: number | null;
}

export interface PriceChartProps {
  symbol: string;
  points: ChartPoint[];
  averageLabel?: string;
  /** Calls on the stock, by index into `points`. */
  markers?: ChartMarker[];
  /** What the markers are, for the legend. */
  markerLegend?: string;
  width?: number;
  height?: number;
}

export function PriceChart(
  { symbol, points, averageLabel = "20-day average", markers, markerLegend, width, height }:
    PriceChartProps,
) {
  const empty = `Not enough price history to draw a chart for ${symbol} yet.`;
  if (points.length < 2) return <ChartEmpty>{empty}</ChartEmpty>;
  const averages = points.map((point) => point.average);
  const first = points[0];
  const last = points[points.length - 1];
  const change = (last.close / first.close - 1) * 100;
  const summary = `${symbol} closed at ${formatPrice(last.close)} on ${last.date}, ${
    change >= 0 ? "up" : "down"
  } ${Math.abs(change).toFixed(1)}% from ${formatPrice(first.close)} on ${first.date}.`;
  return (
    <InteractiveChart
      id={`chart-${symbol}`}
      class="price-chart"
      title={`${symbol} daily close, ${first.date} to ${last.date}`}
      summary={summary}
      dates={points.map((point) => point.date)}
      series={[
        { label: "close", values: points.map((point) => point.close), class: "chart-close" },
        // Without a value (fewer closes than its window) the average has nothing to draw.
        ...(averages.some((value) => value !== null)
          ? [{ label: averageLabel, values: averages, class: "chart-average", dashed: true }]
          : []),
      ]}
      format="price"
      empty={empty}
      markers={markers}
      markerLegend={markerLegend}
      width={width}
      height={height}
    />
  );
}
