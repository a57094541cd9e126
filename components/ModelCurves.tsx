// A model's daily curves as line charts: its compounded strategy return against buying and
// holding what it predicted, and how far below its best it fell.
import InteractiveChart from "../islands/InteractiveChart.tsx";
import type { CurvePoint } from "../lib/evaluate/query.ts";
import { formatMetric } from "./MetricValue.tsx";

const percent = (value: number) => formatMetric(value, "return");

export function ModelCurves({ model, curve }: { model: string; curve: readonly CurvePoint[] }) {
  const dates = curve.map((point) => point.date);
  const first = curve[0];
  const last = curve[curve.length - 1];
  const worst = curve.reduce<CurvePoint | undefined>(
    (low, point) => (low === undefined || point.drawdown < low.drawdown ? point : low),
    undefined,
  );
  const tooShort = "Fewer than two days of outcomes: not enough for a curve yet.";
  return (
    <>
      <InteractiveChart
        id="equity-chart"
        title={`${model}: cumulative return against buy-and-hold`}
        summary={last
          ? `Following ${model}'s calls returned ${
            percent(last.cumulativeReturn)
          } from ${first.date} to ${last.date}; holding the same stocks over the same days returned ${
            percent(last.buyAndHoldCumulativeReturn)
          }.`
          : ""}
        dates={dates}
        series={[
          {
            label: `${model}'s calls`,
            values: curve.map((point) => point.cumulativeReturn),
            class: "chart-strategy",
          },
          {
            label: "buy-and-hold of the same stocks",
            values: curve.map((point) => point.buyAndHoldCumulativeReturn),
            class: "chart-benchmark",
            dashed: true,
          },
        ]}
        format="return"
        empty={tooShort}
      />
      <InteractiveChart
        id="drawdown-chart"
        title={`${model}: drawdown`}
        summary={worst && worst.drawdown < 0
          ? `The deepest fall below a previous high was ${
            percent(worst.drawdown)
          }, on ${worst.date}.`
          : `${model}'s curve never fell below a previous high.`}
        dates={dates}
        series={[{
          label: "fall below the previous high",
          values: curve.map((point) => point.drawdown),
          class: "chart-drawdown",
        }]}
        format="return"
        empty={tooShort}
      />
    </>
  );
}
