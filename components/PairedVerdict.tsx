// What one paired test says about two models (or variants) on the predictions both made, in
// words: the verdict first, then the numbers behind it.
import type { PairedTest } from "../lib/api/evaluations_metrics.ts";
import type { PairedResult } from "../lib/api/evaluations_report.ts";
import { formatMetric } from "./MetricValue.tsx";

function details(a: string, b: string, { comparison: c }: PairedResult, test: PairedTest): string {
  if (test === "mcnemar") {
    const times = (count: number) => `${count} time${count === 1 ? "" : "s"}`;
    const p = c.mcnemarP === null
      ? ""
      : ` (McNemar's exact test: p = ${formatMetric(c.mcnemarP, "pValue")})`;
    return `On the ${c.shared} predictions both made, ${a} was right where ${b} was not ${
      times(c.aOnly)
    }, and the reverse ${times(c.bOnly)}${p}.`;
  }
  if (c.meanDifference === null || c.differenceLow === null || c.differenceHigh === null) {
    return `Too few shared predictions (${c.shared}) for a bootstrap interval.`;
  }
  const percent = (value: number) => formatMetric(value, "return");
  return `On the ${c.shared} predictions both made, ${a}'s return minus ${b}'s averaged ${
    percent(c.meanDifference)
  } per prediction (95% bootstrap interval ${percent(c.differenceLow)} to ${
    percent(c.differenceHigh)
  }).`;
}

export interface PairedVerdictProps {
  a: string;
  b: string;
  result: PairedResult;
  test: PairedTest;
}

export function PairedVerdict({ a, b, result, test }: PairedVerdictProps) {
  if (result.comparison.shared === 0) {
    return (
      <p class="verdict">
        <strong>No paired test possible:</strong> {a} and {b} made no prediction in common.
      </p>
    );
  }
  const ahead = result.favoured[test];
  const verdict = ahead === null
    ? `No significant difference between ${a} and ${b}:`
    : `${ahead === "a" ? a : b} is significantly ahead (5% level):`;
  return (
    <p class="verdict">
      <strong>{verdict}</strong> {details(a, b, result, test)}
    </p>
  );
}
