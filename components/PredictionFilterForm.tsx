import { DIRECTIONS } from "../lib/predict/types.ts";
import type { PredictionFilters } from "../lib/predictions/query.ts";
import { type Choice, Select } from "./Select.tsx";

const plain = (values: readonly string[]): Choice[] =>
  values.map((value) => ({ value, label: value }));

/**
 * The predictions filters as a plain GET form: works without JavaScript, and its field names are
 * the /api/predictions query parameters, so the same URL query drives the page and the API.
 */
export function PredictionFilterForm(
  { filters, models }: { filters: PredictionFilters; models: string[] },
) {
  // A model named in the URL but not registered still shows as chosen (and matches nothing).
  const modelNames = filters.model && !models.includes(filters.model)
    ? [...models, filters.model]
    : models;
  return (
    <form class="filter-form" method="get" action="/predictions" aria-label="Filter predictions">
      <label>
        Symbol
        <input name="symbol" type="text" value={filters.symbol ?? ""} placeholder="AAPL" />
      </label>
      <Select
        name="model"
        label="Model"
        value={filters.model ?? ""}
        choices={[{ value: "", label: "Any model" }, ...plain(modelNames)]}
      />
      <Select
        name="direction"
        label="Direction"
        value={filters.direction ?? ""}
        choices={[{ value: "", label: "Any direction" }, ...plain(DIRECTIONS)]}
      />
      <label>
        Min. confidence
        <input
          name="minConfidence"
          type="number"
          min="0"
          max="1"
          step="0.05"
          value={filters.minConfidence ?? ""}
          placeholder="0.7"
        />
      </label>
      <label>
        From
        <input name="from" type="date" value={filters.from ?? ""} />
      </label>
      <label>
        To
        <input name="to" type="date" value={filters.to ?? ""} />
      </label>
      <Select
        name="mode"
        label="Mode"
        value={filters.mode ?? ""}
        choices={[{ value: "", label: "Live and replay" }, ...plain(["live", "replay"])]}
      />
      <Select
        name="contaminated"
        label="Contaminated"
        value={filters.contaminated ?? "include"}
        choices={[
          { value: "include", label: "Included" },
          { value: "exclude", label: "Left out" },
          { value: "only", label: "Only these" },
        ]}
      />
      <div class="filter-actions">
        <button type="submit">Filter</button>
        <a href="/predictions">Clear</a>
      </div>
    </form>
  );
}
