// What the models predicted, newest first: a GET filter form (the /api/predictions parameters;
// the PredictionFilters island makes it update the list as you change it), a page of predictions
// with their outcomes once known, a cursor link to the next page and the same selection as a CSV
// download.
import { PREDICTION_COLUMNS, PredictionRow } from "../../components/PredictionRow.tsx";
import {
  predictionCursor,
  predictionFilterParams,
  readPredictionCursor,
  readPredictionFilters,
} from "../../lib/api/predictions_params.ts";
import LivePredictionFilters, {
  CSV_LINK_ID,
  RESULTS_ID,
} from "../../islands/PredictionFilters.tsx";
import { define } from "../../lib/fresh/define.ts";
import { QueryParams } from "../../lib/http/query.ts";
import {
  type ListedPrediction,
  listPredictions,
  type PredictionFilters,
  predictionModelNames,
} from "../../lib/predictions/query.ts";

const PAGE_SIZE = 50;

interface PredictionsData {
  filters: PredictionFilters;
  models: string[];
  predictions: ListedPrediction[];
  /** Filters or a cursor narrowed the list (an empty page is then not an empty database). */
  narrowed: boolean;
  nextHref: string | null;
  csvHref: string;
}

export const handler = define.handlers<PredictionsData>({
  async GET(req, ctx) {
    const query = QueryParams.of(req.url);
    const filters = readPredictionFilters(query);
    const before = readPredictionCursor(query);
    const sql = ctx.state.app.db.sql;
    const [predictions, models] = await Promise.all([
      listPredictions(sql, filters, { limit: PAGE_SIZE, before }),
      predictionModelNames(sql),
    ]);
    const params = predictionFilterParams(filters);
    const last = predictions.at(-1);
    const next = new URLSearchParams(params);
    if (last) next.set("cursor", predictionCursor(last));
    const csv = new URLSearchParams(params);
    csv.set("format", "csv");
    return ctx.render({
      filters,
      models,
      predictions,
      narrowed: params.size > 0 || before !== undefined,
      nextHref: predictions.length === PAGE_SIZE ? `/predictions?${next}` : null,
      csvHref: `/api/predictions?${csv}`,
    });
  },
});

function EmptyState() {
  return (
    <section class="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No predictions yet</h2>
      <p>Predictions are made by the registered models for every active stock:</p>
      <ul>
        <li>
          Live, as of now, by the scheduled predict job, or by hand:{" "}
          <code>deno task job predict</code>
        </li>
        <li>
          Over past days, obeying the same point-in-time rules: <code>deno task replay</code>
        </li>
      </ul>
      <p>
        Both need prices and news first (<code>deno task job crawl</code>).
      </p>
    </section>
  );
}

export default define.page<PredictionsData>(({ data }) => {
  const { filters, models, predictions, narrowed, nextHref, csvHref } = data;
  return (
    <>
      <div class="page-heading">
        <h1>Predictions</h1>
        <span id={CSV_LINK_ID}>
          <a href={csvHref} download="predictions.csv">Download CSV</a>
        </span>
      </div>
      <LivePredictionFilters filters={filters} models={models} />
      <div id={RESULTS_ID}>
        {predictions.length > 0
          ? (
            <div class="table-scroll">
              <table class="data-table predictions-table">
                <caption class="visually-hidden">Predictions, newest first</caption>
                <thead>
                  <tr>
                    {PREDICTION_COLUMNS.map((column) => (
                      <th
                        key={column}
                        scope="col"
                        class={column === "Confidence" ? "number" : undefined}
                      >
                        {column}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {predictions.map((prediction) => (
                    <PredictionRow key={prediction.id} prediction={prediction} />
                  ))}
                </tbody>
              </table>
            </div>
          )
          : narrowed
          ? (
            <p>
              No predictions match these filters. <a href="/predictions">Show all predictions</a>
            </p>
          )
          : <EmptyState />}
        {nextHref && (
          <nav class="pager" aria-label="Pages">
            <a href={nextHref} rel="next">Next page</a>
          </nav>
        )}
      </div>
    </>
  );
});
