// The model leaderboard: every model's metrics for a mode, window and population (a GET form,
// the /api/evaluations parameters), ranked by a chosen metric, with whether the leader's lead is
// more than chance and what each number means.
import {
  EvaluationViewForm,
  MODE_LABELS,
  WINDOW_LABELS,
} from "../../components/EvaluationViewForm.tsx";
import { LeaderboardTable } from "../../components/LeaderboardTable.tsx";
import { MetricGlossary } from "../../components/MetricGlossary.tsx";
import { PairedVerdict } from "../../components/PairedVerdict.tsx";
import { METRICS } from "../../lib/api/evaluations_metrics.ts";
import {
  type EvaluationView,
  readEvaluationView,
  readRankBy,
  viewParams,
  withQuery,
} from "../../lib/api/evaluations_params.ts";
import {
  type EvaluationCosts,
  type Leaderboard,
  leaderboard,
} from "../../lib/api/evaluations_report.ts";
import { define } from "../../lib/fresh/define.ts";
import { QueryParams } from "../../lib/http/query.ts";

interface ModelsData {
  board: Leaderboard;
  costs: EvaluationCosts;
}

export const handler = define.handlers<ModelsData>({
  async GET(req, ctx) {
    const query = QueryParams.of(req.url);
    const app = ctx.state.app;
    const board = await leaderboard(app.db.sql, readEvaluationView(query), readRankBy(query));
    return ctx.render({ board, costs: app.config.evaluate });
  },
});

function describeView(view: EvaluationView): string {
  const population = view.population === "clean" ? "" : ", contaminated predictions only";
  return `${MODE_LABELS[view.mode]} predictions, ${
    WINDOW_LABELS[view.window].toLowerCase()
  }${population}`;
}

function LeadNote({ board: { lead, rankBy } }: { board: Leaderboard }) {
  if (lead === null) {
    return (
      <p class="lead-note">
        Only one model has a value for {METRICS[rankBy].label} here: there is no lead to test yet.
      </p>
    );
  }
  const { leader, runnerUp } = lead;
  return (
    <section class="lead-note" aria-labelledby="lead-title">
      <h2 id="lead-title">
        {lead.significant
          ? `Yes: ${leader.name}'s lead over ${runnerUp.name} is statistically meaningful`
          : `No: ${leader.name}'s lead over ${runnerUp.name} is not statistically meaningful`}
      </h2>
      <PairedVerdict a={leader.name} b={runnerUp.name} result={lead} test={lead.test} />
      <p class="muted">
        {lead.test === "mcnemar"
          ? "Ranked by a hit-rate metric, so tested by McNemar's exact test on who was right."
          : "Ranked by a return or risk metric, so tested by a bootstrap of the return difference."}
        {lead.significant ? "" : " The ranking between them could be chance."}
      </p>
    </section>
  );
}

function EmptyState({ view }: { view: EvaluationView }) {
  const other = view.mode === "live" ? "replay" : "live";
  return (
    <section class="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No data yet</h2>
      <p>
        No model has scored predictions here ({describeView(view).toLowerCase()}). Predictions are
        scored once their horizon has passed: run <code>deno task job evaluate</code>{" "}
        (it also runs on a schedule), after <code>deno task job predict</code> or{" "}
        <code>deno task replay</code>.
      </p>
      <p>
        <a href={withQuery("/models", viewParams({ ...view, mode: other }))}>
          Show {other} predictions instead
        </a>
      </p>
    </section>
  );
}

export default define.page<ModelsData>(({ data: { board, costs } }) => {
  const { view, rankBy, standings } = board;
  const ranked = standings.some((standing) => standing.rank !== null);
  const metric = METRICS[rankBy];
  return (
    <>
      <div class="page-heading">
        <h1>Models</h1>
      </div>
      <p>
        How each model's calls turned out. Numbers link to the predictions behind them; the
        definitions are at the bottom of the page.
      </p>
      <EvaluationViewForm
        action="/models"
        label="Choose the leaderboard"
        view={view}
        rankBy={rankBy}
      />
      {standings.every((standing) => standing.metrics.n === 0) ? <EmptyState view={view} /> : (
        <>
          {ranked && <LeadNote board={board} />}
          <LeaderboardTable
            standings={standings}
            view={view}
            rankBy={rankBy}
            caption={`${describeView(view)}. Ranked by ${metric.label}, ${
              metric.better === "higher" ? "highest" : "lowest"
            } first.`}
          />
        </>
      )}
      <MetricGlossary costs={costs} />
    </>
  );
});
