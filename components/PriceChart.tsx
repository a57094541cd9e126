// A server-rendered SVG line chart of daily closes: visible without JavaScript, readable by
// screen readers (title, description and a summary), and with the moving average dashed so the
// two lines differ by more than colour.
import { linearScale, linePath, niceTicks } from "../lib/charts/scale.ts";

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

const MARGIN = { top: 12, right: 16, bottom: 28, left: 56 };

function formatPrice(value: number): string {
  return value >= 1000 ? value.toFixed(0) : value >= 10 ? value.toFixed(2) : value.toPrecision(3);
}

/** Evenly spaced x-axis labels: about `count` dates including the first and last. */
function dateLabels(points: ChartPoint[], count: number): number[] {
  if (points.length <= count) return points.map((_, index) => index);
  const step = (points.length - 1) / (count - 1);
  return Array.from({ length: count }, (_, index) => Math.round(index * step));
}

export function PriceChart(
  { symbol, points, averageLabel = "20-day average", width = 720, height = 280 }: PriceChartProps,
) {
  if (points.length < 2) {
    return <p class="chart-empty">Not enough price history to draw a chart for {symbol} yet.</p>;
  }
  const values = points.flatMap((point) =>
    point.average === null ? [point.close] : [point.close, point.average]
  );
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const pad = (high - low) * 0.05 || high * 0.05;
  const y = linearScale([low - pad, high + pad], [height - MARGIN.bottom, MARGIN.top]);
  const x = linearScale([0, points.length - 1], [MARGIN.left, width - MARGIN.right]);
  const first = points[0];
  const last = points[points.length - 1];
  const change = (last.close / first.close - 1) * 100;
  const summary = `${symbol} closed at ${formatPrice(last.close)} on ${last.date}, ${
    change >= 0 ? "up" : "down"
  } ${Math.abs(change).toFixed(1)}% from ${formatPrice(first.close)} on ${first.date}.`;
  // Too little history for the average (its warm-up): no dashed line, and the legend says so.
  const averagePath = linePath(
    points.map((p, i) => [x(i), p.average === null ? null : y(p.average)]),
  );
  const titleId = `chart-${symbol}-title`;
  const descId = `chart-${symbol}-desc`;
  return (
    <figure class="price-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
      >
        <title id={titleId}>{symbol} daily close, {first.date} to {last.date}</title>
        <desc id={descId}>{summary}</desc>
        <g class="chart-grid">
          {niceTicks(low - pad, high + pad, 5).map((tick) => (
            <g key={tick}>
              <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
              <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" text-anchor="end">
                {formatPrice(tick)}
              </text>
            </g>
          ))}
          {dateLabels(points, 5).map((index, position, all) => (
            <text
              key={index}
              x={x(index)}
              y={height - 8}
              // The outer labels align inwards so they are never clipped at the edges.
              text-anchor={position === 0
                ? "start"
                : position === all.length - 1
                ? "end"
                : "middle"}
            >
              {points[index].date}
            </text>
          ))}
        </g>
        {averagePath ? <path class="chart-average" d={averagePath} /> : null}
        <path class="chart-close" d={linePath(points.map((p, i) => [x(i), y(p.close)]))} />
      </svg>
      <figcaption>
        {summary}{" "}
        <span class="chart-legend">
          Solid line: close.{averagePath ? ` Dashed line: ${averageLabel}.` : ""}
        </span>
      </figcaption>
    </figure>
  );
}
