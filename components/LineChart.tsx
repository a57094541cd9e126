// A server-rendered SVG line chart over days: visible without JavaScript, readable by screen
// readers (title, description and a visible summary), and with lines told apart by dashing as well
// as colour, which the legend names in words.
import type { ComponentChildren } from "preact";
import { linearScale, linePath, niceTicks } from "../lib/charts/scale.ts";
import type { ChartMarker, LineSeries } from "../lib/charts/series.ts";

export interface LineChartProps {
  /** Prefix of the title and description ids: unique on the page. */
  id: string;
  /** The figure's CSS class. */
  class?: string;
  title: string;
  /** One or two sentences saying what the chart shows: the description and the caption. */
  summary: string;
  dates: readonly string[];
  /** The first series is the main one: listed first, drawn on top. */
  series: readonly LineSeries[];
  formatValue(value: number): string;
  /** Shown instead of the chart with fewer than two dates (or no values). */
  empty: ComponentChildren;
  /** Calls marked on the first series: ▲ below the line for up, ▼ above it for down. */
  markers?: readonly ChartMarker[];
  /** What the markers stand for, a sentence for the legend. */
  markerLegend?: string;
  width?: number;
  height?: number;
}

const MARGIN = { top: 12, right: 16, bottom: 28, left: 56 };

/** Evenly spaced x-axis labels: about `count` indices including the first and last. */
function dateLabels(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, index) => index);
  const step = (length - 1) / (count - 1);
  return Array.from({ length: count }, (_, index) => Math.round(index * step));
}

/** The legend in words: each line by its dashing (colour is never the only cue), then markers. */
export function legendText(
  lines: readonly Pick<LineSeries, "label" | "dashed">[],
  markers: readonly ChartMarker[] = [],
  markerLegend = "",
): string {
  const named = lines.map((line) => `${line.dashed ? "Dashed" : "Solid"} line: ${line.label}.`);
  return [...named, ...(markers.length > 0 && markerLegend ? [markerLegend] : [])].join(" ");
}

/** A triangle of half-width `size` centred on (x, y), pointing up or down. */
export function trianglePath(x: number, y: number, size: number, direction: "up" | "down") {
  const tip = direction === "up" ? -size : size;
  return `M${x.toFixed(1)} ${(y + tip).toFixed(1)}L${(x + size).toFixed(1)} ${
    (y - tip).toFixed(1)
  }L${(x - size).toFixed(1)} ${(y - tip).toFixed(1)}Z`;
}

/** What stands in for a chart there is too little data for. */
export function ChartEmpty({ children }: { children: ComponentChildren }) {
  return <p class="chart-empty">{children}</p>;
}

/** Offset of a marker from the line, so it never hides the point it marks. */
const MARKER_GAP = 9;

function Markers({ markers, values, x, y }: {
  markers: readonly ChartMarker[];
  values: readonly (number | null)[];
  x: (index: number) => number;
  y: (value: number) => number;
}) {
  const placed = markers.flatMap((marker) => {
    const value = values[marker.index];
    return value === null || value === undefined || !Number.isFinite(value)
      ? []
      : [{ marker, at: y(value) + (marker.direction === "up" ? MARKER_GAP : -MARKER_GAP) }];
  });
  if (placed.length === 0) return null;
  return (
    <g class="chart-markers">
      {placed.map(({ marker, at }) => (
        <path
          key={marker.index}
          class={`chart-marker chart-marker-${marker.direction}`}
          d={trianglePath(x(marker.index), at, 4.5, marker.direction)}
        >
          <title>{marker.label}</title>
        </path>
      ))}
    </g>
  );
}

export function LineChart(props: LineChartProps) {
  const { id, dates, series, formatValue, width = 720, height = 280 } = props;
  const values = series.flatMap((line) =>
    line.values.filter((value): value is number => value !== null && Number.isFinite(value))
  );
  if (dates.length < 2 || values.length === 0) return <ChartEmpty>{props.empty}</ChartEmpty>;
  const [low, high] = [Math.min(...values), Math.max(...values)];
  // A flat line still gets a band around it (and one at 0 when everything is 0).
  const pad = (high - low) * 0.05 || Math.abs(high) * 0.05 || 0.01;
  const y = linearScale([low - pad, high + pad], [height - MARGIN.bottom, MARGIN.top]);
  const x = linearScale([0, dates.length - 1], [MARGIN.left, width - MARGIN.right]);
  const drawn = series
    .map((line) => ({
      line,
      path: linePath(line.values.map((value, i) => [x(i), value === null ? null : y(value)])),
    }))
    .filter(({ path }) => path !== "");
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  return (
    <figure class={props.class ?? "line-chart"}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
      >
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{props.summary}</desc>
        <g class="chart-grid">
          {niceTicks(low - pad, high + pad, 5).map((tick) => (
            <g key={tick}>
              <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
              <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" text-anchor="end">
                {formatValue(tick)}
              </text>
            </g>
          ))}
          {dateLabels(dates.length, 5).map((index, position, all) => (
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
              {dates[index]}
            </text>
          ))}
        </g>
        {drawn.toReversed().map(({ line, path }) => (
          <path key={line.label} class={line.class} d={path} />
        ))}
        <Markers markers={props.markers ?? []} values={series[0].values} x={x} y={y} />
      </svg>
      <figcaption>
        {props.summary}{" "}
        <span class="chart-legend">
          {legendText(drawn.map(({ line }) => line), props.markers, props.markerLegend)}
        </span>
      </figcaption>
    </figure>
  );
}
