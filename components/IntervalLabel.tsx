// A rate with its 95% interval, read as one phrase: "54% (51–57%)".
import type { Interval } from "../lib/evaluate/types.ts";
import { formatMetric, NoData } from "./MetricValue.tsx";

function formatInterval({ value, low, high }: Interval): string {
  const percent = (rate: number) => Math.round(rate * 100);
  return `${formatMetric(value, "rate")} (${percent(low)}–${percent(high)}%)`;
}

export function IntervalLabel({ interval, href }: { interval: Interval | null; href?: string }) {
  if (interval === null) return <NoData />;
  const text = formatInterval(interval);
  return (
    <span class="interval" title="with its Wilson 95% interval">
      {href ? <a href={href}>{text}</a> : text}
    </span>
  );
}
