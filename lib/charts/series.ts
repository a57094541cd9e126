// What a daily line chart draws, as plain data: shared by the server's SVG (components/LineChart)
// and the browser's chart.js view (islands/InteractiveChart).

export interface LineSeries {
  label: string;
  /** One per date; null leaves a gap (e.g. an average's warm-up). */
  values: readonly (number | null)[];
  /** The path's CSS class (its stroke). */
  class: string;
  /** Drawn dashed by its class: the legend says so. */
  dashed?: boolean;
}

/** A call marked on the main line at one date. */
export interface ChartMarker {
  index: number;
  direction: "up" | "down";
  /** Read out on hover (and by the interactive chart's tooltip). */
  label: string;
}
