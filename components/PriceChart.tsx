// A stock's daily closes as a LineChart, with its moving average dashed so the two lines differ by
// more than colour.
import { ChartEmpty, LineChart } from "./LineChart.tsx";

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
  width?: number;
  height?: number;
}

function formatPrice(value: number): string {
  return value >= 1000 ? value.toFixed(0) : value >= 10 ? value.toFixed(2) : value.toPrecision(3);
}

export function PriceChart(
  { symbol, points, averageLabel = "20-day average", width, height }: PriceChartProps,
) {
  const empty = `Not enough price history to draw a chart for ${symbol} yet.`;
  if (points.length < 2) return <ChartEmpty>{empty}</ChartEmpty>;
  const first = points[0];
  const last = points[points.length - 1];
  const change = (last.close / first.close - 1) * 100;
  const summary = `${symbol} closed at ${formatPrice(last.close)} on ${last.date}, ${
    change >= 0 ? "up" : "down"
  } ${Math.abs(change).toFixed(1)}% from ${formatPrice(first.close)} on ${first.date}.`;
  return (
    <LineChart
      id={`chart-${symbol}`}
      class="price-chart"
      title={`${symbol} daily close, ${first.date} to ${last.date}`}
      summary={summary}
      dates={points.map((point) => point.date)}
      series={[
        { label: "close", values: points.map((point) => point.close), class: "chart-close" },
        {
          label: averageLabel,
          values: points.map((point) => point.average),
          class: "chart-average",
          dashed: true,
        },
      ]}
      formatValue={formatPrice}
      empty={empty}
      width={width}
      height={height}
    />
  );
}
