import type { ListedPrediction } from "../lib/predictions/query.ts";
import { CitedNewsList } from "./CitedNewsList.tsx";
import { DirectionLabel } from "./DirectionLabel.tsx";
import { Confidence, Horizon, PredictionMarks } from "./PredictionFacts.tsx";
import { UtcTime } from "./UtcTime.tsx";

/** Each model's latest call on one stock, with its full reasoning and the news it cited. */
export function LatestPredictions({ predictions }: { predictions: ListedPrediction[] }) {
  return (
    <ul class="prediction-cards">
      {predictions.map((p) => (
        <li key={p.id}>
          <h3>
            {p.model.name}
            <PredictionMarks mode={p.mode} contaminated={p.contaminated} />
          </h3>
          <p class="prediction-call">
            <DirectionLabel direction={p.direction} /> · <Confidence value={p.confidence} />{" "}
            confidence · over <Horizon days={p.horizon} /> · as of <UtcTime date={p.asOf} />
          </p>
          {p.reasoning === null ? null : <p class="reasoning-text">{p.reasoning}</p>}
          <CitedNewsList items={p.citedNews} />
        </li>
      ))}
    </ul>
  );
}
