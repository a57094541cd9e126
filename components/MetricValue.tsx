// Metric values as the evaluation pages show them: one format per kind of number, a dash read out
// as "no data" where there is none, and optionally a link to the predictions behind the number.
import type { MetricKind } from "../lib/api/evaluations_metrics.ts";

const MINUS = "\u2212";

/** `digits` decimals with a sign; no sign on what rounds to 0 (never "−0.00"). */
function signed(value: number, digits: number, suffix = ""): string {
  const text = Math.abs(value).toFixed(digits);
  const sign = Number(text) === 0 ? "" : value > 0 ? "+" : MINUS;
  return `${sign}${text}${suffix}`;
}

export function formatMetric(value: number, kind: MetricKind): string {
  switch (kind) {
    case "rate":
      return `${Math.round(value * 100)}%`;
    case "percent":
      return `${(value * 100).toFixed(2)}%`;
    case "return":
      return signed(value * 100, 2, "%");
    case "ratio":
      return signed(value, 2);
    case "score":
      return signed(value, 3).replace("+", "");
    case "pValue":
      return value < 0.001 ? "< 0.001" : value.toFixed(3);
    case "count":
      return value.toLocaleString("en-US");
  }
}

/** The dash shown for a metric without a value. */
export function NoData() {
  return (
    <span class="no-data" title="no data">
      <span aria-hidden="true">—</span>
      <span class="visually-hidden">no data</span>
    </span>
  );
}

export interface MetricValueProps {
  value: number | null;
  kind: MetricKind;
  /** The predictions behind the number. */
  href?: string;
}

export function MetricValue({ value, kind, href }: MetricValueProps) {
  if (value === null) return <NoData />;
  const text = formatMetric(value, kind);
  return href ? <a href={href}>{text}</a> : <>{text}</>;
}
