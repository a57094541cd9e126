// The leaderboard: one row per model, ranked by the chosen metric, every number linking to the
// predictions behind it.
import { METRICS, RANK_METRICS, type RankMetric } from "../lib/api/evaluations_metrics.ts";
import {
  type EvaluationView,
  predictionsHref,
  viewParams,
  withQuery,
} from "../lib/api/evaluations_params.ts";
import type { Standing } from "../lib/api/evaluations_report.ts";
import { IntervalLabel } from "./IntervalLabel.tsx";
import { MetricValue } from "./MetricValue.tsx";

/** The metric columns after win rate, in catalogue order. */
const OTHER_METRICS = RANK_METRICS.filter((key) => key !== "winRate");

function ColumnHeading({ metric, rankBy }: { metric: RankMetric; rankBy: RankMetric }) {
  const { label, better } = METRICS[metric];
  if (metric !== rankBy) return <th scope="col" class="number">{label}</th>;
  return (
    <th
      scope="col"
      class="number ranked"
      aria-sort={better === "higher" ? "descending" : "ascending"}
    >
      {label} <span aria-hidden="true">{better === "higher" ? "↓" : "↑"}</span>
      <span class="visually-hidden">(ranked by this, best first)</span>
    </th>
  );
}

function StandingRow({ standing, view }: { standing: Standing; view: EvaluationView }) {
  const { rank, model, metrics } = standing;
  // No predictions: nothing to link to.
  const href = metrics.n > 0
    ? predictionsHref({ model: model.name, view, periodStart: standing.periodStart })
    : undefined;
  return (
    <tr>
      <td class="number">{rank ?? <span class="muted">—</span>}</td>
      <th scope="row">
        <a href={withQuery(`/models/${model.id}`, viewParams(view))}>{model.name}</a>{" "}
        <span class="badge badge-local">{model.provider}</span>
        {model.active ? null : <span class="badge badge-local">retired</span>}
      </th>
      <td class="number">
        <MetricValue value={metrics.n} kind="count" href={href} />
      </td>
      <td class="number">
        <IntervalLabel interval={metrics.winRate} href={href} />
      </td>
      <td class="number">
        <MetricValue value={metrics.pValue} kind="pValue" href={href} />
      </td>
      {OTHER_METRICS.map((key) => (
        <td key={key} class="number">
          <MetricValue value={METRICS[key].value(metrics)} kind={METRICS[key].kind} href={href} />
        </td>
      ))}
    </tr>
  );
}

export function LeaderboardTable(
  { standings, view, rankBy, caption }: {
    standings: readonly Standing[];
    view: EvaluationView;
    rankBy: RankMetric;
    caption: string;
  },
) {
  return (
    <div class="table-scroll">
      <table class="data-table leaderboard">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="number">Rank</th>
            <th scope="col">Model</th>
            <th scope="col" class="number">Predictions</th>
            <ColumnHeading metric="winRate" rankBy={rankBy} />
            <th scope="col" class="number">p-value</th>
            {OTHER_METRICS.map((key) => <ColumnHeading key={key} metric={key} rankBy={rankBy} />)}
          </tr>
        </thead>
        <tbody>
          {standings.map((standing) => (
            <StandingRow key={standing.model.id} standing={standing} view={view} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
