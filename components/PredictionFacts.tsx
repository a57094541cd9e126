// The small facts every view of a prediction states the same way.
import type { PredictionMode } from "../lib/predict/types.ts";

/** Confidence 0–1 as a whole percentage. */
export function Confidence({ value }: { value: number }) {
  return <>{Math.round(value * 100)}%</>;
}

/** A horizon in trading days. */
export function Horizon({ days }: { days: number }) {
  return <>{days === 1 ? "1 trading day" : `${days} trading days`}</>;
}

/** "replay" and "contaminated" marks: such predictions must never pass for live, clean calls. */
export function PredictionMarks(
  { mode, contaminated }: { mode: PredictionMode; contaminated: boolean },
) {
  if (mode === "live" && !contaminated) return null;
  return (
    <span class="prediction-marks">
      {mode === "replay" ? <span class="badge badge-local">replay</span> : null}
      {contaminated
        ? (
          <span class="badge badge-local" title="made before the model's knowledge cutoff">
            contaminated
          </span>
        )
        : null}
    </span>
  );
}
