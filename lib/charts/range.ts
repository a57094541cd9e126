// Which stretch of a daily chart is shown: a preset (the last month, three, six, all) or a range
// dragged out on the chart, as indices into its dates; and the sentence that says what the
// stretch shows, for screen readers and as the chart's live caption.

export interface IndexRange {
  /** First and last index shown, inclusive. */
  start: number;
  end: number;
}

export const RANGE_PRESETS = [
  { id: "1m", label: "1 month", points: 21 },
  { id: "3m", label: "3 months", points: 63 },
  { id: "6m", label: "6 months", points: 126 },
  { id: "all", label: "All", points: Infinity },
] as const;
export type RangePreset = typeof RANGE_PRESETS[number]["id"];

/** The last `points` of a chart of `length` points (all of them when it has fewer). */
export function presetRange(length: number, preset: RangePreset): IndexRange {
  const points = RANGE_PRESETS.find((entry) => entry.id === preset)?.points ?? Infinity;
  return { start: Math.max(0, length - Math.min(points, length)), end: Math.max(0, length - 1) };
}

/** Presets worth offering: those that show fewer points than the chart has, and All. */
export function usefulPresets(length: number): (typeof RANGE_PRESETS)[number][] {
  return RANGE_PRESETS.filter((entry) => entry.points < length || entry.id === "all");
}

/**
 * The range between two dragged-to indices, in either order and clamped to the chart; null when
 * it would show fewer than two points (a click, not a drag).
 */
export function dragRange(from: number, to: number, length: number): IndexRange | null {
  const clamp = (index: number) => Math.min(length - 1, Math.max(0, Math.round(index)));
  const [start, end] = [clamp(from), clamp(to)].sort((a, b) => a - b);
  return end - start >= 1 ? { start, end } : null;
}

/**
 * "2024-03-01 to 2024-06-28: close from 180.20 to 171.50." — the first series' first and last
 * value in the range (skipping gaps), or just the dates when it has none there.
 */
export function describeRange(
  dates: readonly string[],
  series: { label: string; values: readonly (number | null)[] },
  range: IndexRange,
  format: (value: number) => string,
): string {
  const shown = series.values.slice(range.start, range.end + 1)
    .filter((value): value is number => value !== null && Number.isFinite(value));
  const span = `${dates[range.start]} to ${dates[range.end]}`;
  if (shown.length === 0) return `${span}.`;
  return `${span}: ${series.label} from ${format(shown[0])} to ${format(shown[shown.length - 1])}.`;
}
