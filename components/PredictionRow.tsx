import type { ListedPrediction } from "../lib/predictions/query.ts";
import { ChangeLabel } from "./ChangeLabel.tsx";
import { DirectionLabel } from "./DirectionLabel.tsx";
import { Confidence, Horizon, PredictionMarks } from "./PredictionFacts.tsx";
import { PredictionReasoning } from "./PredictionReasoning.tsx";
import { UtcTime } from "./UtcTime.tsx";
import { StockLink } from "./StockLink.tsx";

/** The columns PredictionRow fills, in order. */
export const PREDICTION_COLUMNS = [
  "As of",
  "Stock",
  "Model",
  "Direction",
  "Confidence",
  "Horizon",
  "Outcome",
  "Reasoning",
] as const;

function Outcome({ outcome }: Pick<ListedPrediction, "outcome">) {
  if (outcome === null) return <span class="muted">pending</span>;
  return (
    <>
      {outcome.result} <ChangeLabel change={outcome.realizedReturn} />
    </>
  );
}

/** One prediction as a table row under PREDICTION_COLUMNS. */
export function PredictionRow({ prediction: p }: { prediction: ListedPrediction }) {
  return (
    <tr>
      <td>
        <UtcTime date={p.asOf} />
      </td>
      <td>
        <StockLink symbol={p.symbol} />
      </td>
      <td>
        {p.model.name}
        <PredictionMarks mode={p.mode} contaminated={p.contaminated} />
      </td>
      <td>
        <DirectionLabel direction={p.direction} />
      </td>
      <td class="number">
        <Confidence value={p.confidence} />
      </td>
      <td>
        <Horizon days={p.horizon} />
      </td>
      <td>
        <Outcome outcome={p.outcome} />
      </td>
      <td class="reasoning">
        <PredictionReasoning reasoning={p.reasoning} citedNews={p.citedNews} />
      </td>
    </tr>
  );
}
