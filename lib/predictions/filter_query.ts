// The URL query a predictions filter form stands for, built in the browser by the
// PredictionFilters island: the form's fields as the GET form would send them, minus empty fields
// and defaults, so the URL stays as short as the server's own links (predictionFilterParams).

/** Values the server reads as "no filter" (readPredictionFilters' fallbacks). */
const DEFAULTS: Readonly<Record<string, string>> = { contaminated: "include" };

export function filterQuery(fields: Iterable<[string, FormDataEntryValue]>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of fields) {
    if (typeof value !== "string") continue;
    const text = value.trim();
    if (text !== "" && DEFAULTS[name] !== text) query.append(name, text);
  }
  return query;
}

/** The page URL for `query` (no cursor: new filters start again at the first page). */
export function predictionsUrl(query: URLSearchParams): string {
  return query.size > 0 ? `/predictions?${query}` : "/predictions";
}
