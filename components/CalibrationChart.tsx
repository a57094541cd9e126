// Calibration as a server-rendered SVG: each confidence bucket's win rate as a dot against the
// dashed diagonal where win rate equals confidence, with the numbers in a table beside it, so
// neither colour nor the picture is the only way to read it.
import { linearScale } from "../lib/charts/scale.ts";
import type { CalibrationBucket } from "../lib/evaluate/types.ts";
import { ChartEmpty } from "./LineChart.tsx";
import { formatMetric, MetricValue } from "./MetricValue.tsx";

const SIZE = 280;
const MARGIN = { top: 12, right: 16, bottom: 36, left: 48 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];

const percent = (value: number) => formatMetric(value, "rate");

/** The gap between win rate and confidence, averaged over predictions (buckets weighed by n). */
function describe(plotted: CalibrationBucket[]): string {
  const n = plotted.reduce((sum, bucket) => sum + bucket.n, 0);
  const gap = plotted.reduce(
    (sum, bucket) => sum + bucket.n * ((bucket.winRate ?? 0) - bucket.meanConfidence),
    0,
  ) / n;
  const points = Math.abs(Math.round(gap * 100));
  const reading = points === 0
    ? "about as often as its confidence said"
    : `${points} percentage point${points === 1 ? "" : "s"} ${
      gap > 0 ? "more" : "less"
    } often than its confidence said, on average`;
  return `Over ${plotted.length} confidence bucket${
    plotted.length === 1 ? "" : "s"
  } with wins or losses, the model was right ${reading}.`;
}

export function CalibrationChart(
  { id, buckets }: { id: string; buckets: readonly CalibrationBucket[] },
) {
  const plotted = buckets.filter((bucket) => bucket.winRate !== null && bucket.n > 0);
  if (plotted.length === 0) {
    return <ChartEmpty>No wins or losses yet: nothing to calibrate.</ChartEmpty>;
  }
  const x = linearScale([0, 1], [MARGIN.left, SIZE - MARGIN.right]);
  const y = linearScale([0, 1], [SIZE - MARGIN.bottom, MARGIN.top]);
  const largest = Math.max(...plotted.map((bucket) => bucket.n));
  // Dot area grows with the bucket's size: a big bucket weighs more than a lone prediction.
  const radius = (n: number) => 3 + 5 * Math.sqrt(n / largest);
  const summary = describe(plotted);
  return (
    <div class="calibration">
      <figure class="calibration-chart">
        <svg
          viewBox={`0 0 ${SIZE} ${SIZE}`}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>Calibration: win rate by stated confidence</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          <g class="chart-grid">
            {TICKS.map((tick) => (
              <g key={tick}>
                <line x1={x(0)} x2={x(1)} y1={y(tick)} y2={y(tick)} />
                <text x={x(0) - 6} y={y(tick)} dy="0.32em" text-anchor="end">{percent(tick)}</text>
                <text x={x(tick)} y={SIZE - MARGIN.bottom + 14} text-anchor="middle">
                  {percent(tick)}
                </text>
              </g>
            ))}
            <text x={(x(0) + x(1)) / 2} y={SIZE - 4} text-anchor="middle">confidence</text>
          </g>
          <line class="chart-diagonal" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
          {plotted.map((bucket) => (
            <circle
              key={bucket.from}
              class="chart-dot"
              cx={x(bucket.meanConfidence)}
              cy={y(bucket.winRate ?? 0)}
              r={radius(bucket.n)}
            />
          ))}
        </svg>
        <figcaption>
          {summary}{" "}
          <span class="chart-legend">
            Dashed diagonal: right exactly as often as confident. Dots: each bucket's win rate at
            its mean confidence, larger with more predictions.
          </span>
        </figcaption>
      </figure>
      <div class="table-scroll calibration-table-scroll">
        <table class="data-table calibration-table">
          <caption>Confidence buckets</caption>
          <thead>
            <tr>
              <th scope="col">Confidence</th>
              <th scope="col" class="number">Predictions</th>
              <th scope="col" class="number">Mean confidence</th>
              <th scope="col" class="number">Win rate</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.from}>
                <td>{percent(bucket.from)}–{percent(bucket.to)}</td>
                <td class="number">{bucket.n}</td>
                <td class="number">
                  <MetricValue value={bucket.n > 0 ? bucket.meanConfidence : null} kind="rate" />
                </td>
                <td class="number">
                  <MetricValue value={bucket.winRate} kind="rate" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
