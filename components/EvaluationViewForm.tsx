// Which evaluation to show, as a plain GET form: works without JavaScript, and its field names are
// the /api/evaluations query parameters, so the same URL query drives a page and the API.
import { METRICS, RANK_METRICS, type RankMetric } from "../lib/api/evaluations_metrics.ts";
import {
  type EvaluationView,
  type EvaluationWindow,
  MODES,
  WINDOWS,
} from "../lib/api/evaluations_params.ts";
import { type Population, POPULATIONS } from "../lib/evaluate/query.ts";
import type { PredictionMode } from "../lib/predict/types.ts";
import { Select } from "./Select.tsx";

export const WINDOW_LABELS: Record<EvaluationWindow, string> = {
  all: "All time",
  "90": "Last 90 days",
  "30": "Last 30 days",
};
export const MODE_LABELS: Record<PredictionMode, string> = { live: "Live", replay: "Replay" };
const POPULATION_LABELS: Record<Population, string> = {
  clean: "Clean",
  contaminated: "Contaminated only",
};

/** In the order of `values` (an object's "30" and "90" keys would sort before "all"). */
const choices = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((value) => ({ value, label: labels[value] }));

export interface EvaluationViewFormProps {
  /** The page the form reloads. */
  action: string;
  label: string;
  view: Partial<EvaluationView>;
  /** Offered only where the page ranks. */
  rankBy?: RankMetric;
}

/** Only the fields `view` has (and rankBy when given) are offered. */
export function EvaluationViewForm({ action, label, view, rankBy }: EvaluationViewFormProps) {
  return (
    <form class="filter-form" method="get" action={action} aria-label={label}>
      {rankBy && (
        <Select
          name="rankBy"
          label="Rank by"
          value={rankBy}
          choices={RANK_METRICS.map((key) => ({ value: key, label: METRICS[key].label }))}
        />
      )}
      {view.window && (
        <Select
          name="window"
          label="Window"
          value={view.window}
          choices={choices(WINDOWS, WINDOW_LABELS)}
        />
      )}
      {view.mode && (
        <Select name="mode" label="Mode" value={view.mode} choices={choices(MODES, MODE_LABELS)} />
      )}
      {view.population && (
        <Select
          name="population"
          label="Predictions"
          value={view.population}
          choices={choices(POPULATIONS, POPULATION_LABELS)}
        />
      )}
      <div class="filter-actions">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}
