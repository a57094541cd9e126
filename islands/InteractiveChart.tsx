// A daily line chart that works without JavaScript and gets better with it. The server renders
// the accessible SVG (LineChart), and so does the first render in the browser. After hydration the
// island loads chart.js (a lazy chunk, so pages without charts never pay for it) and swaps the SVG
// for a canvas with tooltips, range buttons (1, 3, 6 months, all) and drag-to-zoom. The canvas
// keeps a text alternative: its title as a label, the summary and legend in the caption, and a
// live caption line saying what the chosen range shows. If chart.js fails to load, the SVG stays.
import type { Chart } from "chart.js";
import { useEffect, useRef, useState } from "preact/hooks";
import { legendText, LineChart } from "../components/LineChart.tsx";
import { formatMetric } from "../components/MetricValue.tsx";
import { type ChartPalette, lineChartConfig } from "../lib/charts/chartjs_config.ts";
import { formatPrice, type ValueFormat } from "../lib/charts/format.ts";
import type { ChartMarker, LineSeries } from "../lib/charts/series.ts";
import {
  describeRange,
  dragRange,
  type IndexRange,
  presetRange,
  type RangePreset,
  usefulPresets,
} from "../lib/charts/range.ts";

/** LineChart's props in plain data (a format name instead of a formatter). */
export interface ChartSpec {
  id: string;
  class?: string;
  title: string;
  summary: string;
  dates: string[];
  series: LineSeries[];
  format: ValueFormat;
  empty: string;
  markers?: ChartMarker[];
  markerLegend?: string;
  width?: number;
  height?: number;
}

const FORMATS: Record<ValueFormat, (value: number) => string> = {
  price: formatPrice,
  return: (value) => formatMetric(value, "return"),
};

type ChartModule = typeof import("../lib/charts/chartjs.ts");

export default function InteractiveChart(spec: ChartSpec) {
  const [module, setModule] = useState<ChartModule | null>(null);
  useEffect(() => {
    if (spec.dates.length < 2) return;
    import("../lib/charts/chartjs.ts").then(setModule, (error) => {
      console.warn("interactive chart unavailable; the drawn chart stays", error);
    });
  }, []);
  const format = FORMATS[spec.format];
  // Until chart.js is here, exactly what the server rendered (so hydration matches).
  if (!module) return <LineChart {...spec} formatValue={format} />;
  return <CanvasChart spec={spec} chart={module.Chart} format={format} />;
}

/** The page's colours for this chart, read from hidden SVG elements styled like the real ones. */
function readPalette(palette: SVGSVGElement, spec: ChartSpec): ChartPalette {
  const style = (selector: string) => {
    const element = palette.querySelector(selector);
    return element ? getComputedStyle(element) : null;
  };
  return {
    series: spec.series.map((line) => style(`.${line.class}`)?.stroke ?? "currentColor"),
    grid: style(".chart-grid line")?.stroke ?? "rgba(128, 128, 128, 0.3)",
    text: style(".chart-grid text")?.fill ?? "currentColor",
    up: style(".chart-marker-up")?.fill ?? "green",
    down: style(".chart-marker-down")?.fill ?? "red",
  };
}

/** Calls `onChange` when the theme changes: the toggle's attribute or the system setting. */
function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributeFilter: ["data-theme"] });
  const media = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
  media?.addEventListener("change", onChange);
  return () => {
    observer.disconnect();
    media?.removeEventListener("change", onChange);
  };
}

interface Drag {
  from: number;
  to: number;
}

function CanvasChart(
  { spec, chart: ChartClass, format }: {
    spec: ChartSpec;
    chart: typeof Chart;
    format: (value: number) => string;
  },
) {
  const length = spec.dates.length;
  const [range, setRange] = useState<IndexRange>(presetRange(length, "all"));
  const [preset, setPreset] = useState<RangePreset | null>("all");
  const [theme, setTheme] = useState(0);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const paletteRef = useRef<SVGSVGElement>(null);
  const chartRef = useRef<Chart<"line", (number | null)[], string> | null>(null);
  const rangeRef = useRef(range);
  const dragRef = useRef<Drag | null>(null);
  rangeRef.current = range;

  // (Re)built when the theme changes, since the colours are baked into the chart.
  useEffect(() => {
    const canvas = canvasRef.current;
    const palette = paletteRef.current;
    if (!canvas || !palette) return;
    const data = { dates: spec.dates, series: spec.series, markers: spec.markers ?? [] };
    const config = lineChartConfig(data, readPalette(palette, spec), rangeRef.current, format);
    const chart = new ChartClass(canvas, {
      ...config,
      plugins: [{
        id: "dragSelection",
        afterDatasetsDraw(drawn) {
          const drag = dragRef.current;
          if (!drag) return;
          const x = drawn.scales.x;
          const [from, to] = [x.getPixelForValue(drag.from), x.getPixelForValue(drag.to)];
          const { top, bottom } = drawn.chartArea;
          drawn.ctx.save();
          drawn.ctx.fillStyle = "rgba(128, 128, 128, 0.25)";
          drawn.ctx.fillRect(Math.min(from, to), top, Math.abs(to - from), bottom - top);
          drawn.ctx.restore();
        },
      }],
    });
    chartRef.current = chart;

    const indexAt = (event: PointerEvent) => Number(chart.scales.x.getValueForPixel(event.offsetX));
    const down = (event: PointerEvent) => {
      dragRef.current = { from: indexAt(event), to: indexAt(event) };
      canvas.setPointerCapture(event.pointerId);
    };
    const move = (event: PointerEvent) => {
      if (!dragRef.current) return;
      dragRef.current.to = indexAt(event);
      chart.draw();
    };
    const up = () => {
      const drag = dragRef.current;
      dragRef.current = null;
      const dragged = drag && dragRange(drag.from, drag.to, length);
      if (dragged) {
        setRange(dragged);
        setPreset(null);
      }
      chart.draw();
    };
    const cancel = () => {
      dragRef.current = null;
      chart.draw();
    };
    canvas.addEventListener("pointerdown", down);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", cancel);
    const stopWatching = watchTheme(() => setTheme((count) => count + 1));
    return () => {
      stopWatching();
      canvas.removeEventListener("pointerdown", down);
      canvas.removeEventListener("pointermove", move);
      canvas.removeEventListener("pointerup", up);
      canvas.removeEventListener("pointercancel", cancel);
      chart.destroy();
      chartRef.current = null;
    };
  }, [theme]);

  useEffect(() => {
    const chart = chartRef.current;
    const x = chart?.options.scales?.x;
    if (!chart || !x) return;
    x.min = range.start;
    x.max = range.end;
    chart.update("none");
  }, [range]);

  const choose = (id: RangePreset) => {
    setPreset(id);
    setRange(presetRange(length, id));
  };
  const rangeId = `${spec.id}-range`;
  return (
    <figure class={`${spec.class ?? "line-chart"} interactive-chart`}>
      <div class="chart-toolbar" role="group" aria-label={`Range of the chart ${spec.title}`}>
        {usefulPresets(length).map((entry) => (
          <button
            key={entry.id}
            type="button"
            aria-pressed={preset === entry.id ? "true" : "false"}
            onClick={() => choose(entry.id)}
          >
            {entry.label}
          </button>
        ))}
        <span class="chart-hint">or drag across the chart to zoom</span>
      </div>
      <div class="chart-canvas">
        <canvas ref={canvasRef} role="img" aria-label={spec.title} aria-describedby={rangeId} />
      </div>
      <svg ref={paletteRef} class="chart-palette" aria-hidden="true" focusable="false">
        {spec.series.map((line) => <path key={line.label} class={line.class} />)}
        <g class="chart-grid">
          <line />
          <text />
        </g>
        <path class="chart-marker chart-marker-up" />
        <path class="chart-marker chart-marker-down" />
      </svg>
      <figcaption>
        {spec.summary}{" "}
        <span class="chart-legend">
          {legendText(
            spec.series.filter((line) => line.values.some((value) => value !== null)),
            spec.markers,
            spec.markerLegend,
          )}
        </span>{" "}
        <span id={rangeId} class="chart-range" aria-live="polite">
          Showing {describeRange(spec.dates, spec.series[0], range, format)}
        </span>
      </figcaption>
    </figure>
  );
}
