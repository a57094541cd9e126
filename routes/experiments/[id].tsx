// An A/B experiment's results (the /api/evaluations/ab-tests/:id parameters): its variants side
// by side, and the paired tests between each two of them.
import { EvaluationViewForm, MODE_LABELS } from "../../components/EvaluationViewForm.tsx";
import { IntervalLabel } from "../../components/IntervalLabel.tsx";
import { MetricGlossary } from "../../components/MetricGlossary.tsx";
import { MetricValue } from "../../components/MetricValue.tsx";
import { PairedVerdict } from "../../components/PairedVerdict.tsx";
import { formatUtc } from "../../components/UtcTime.tsx";
import { METRICS, RANK_METRICS } from "../../lib/api/evaluations_metrics.ts";
import { pathId, readEvaluationView } from "../../lib/api/evaluations_params.ts";
import {
  type EvaluationCosts,
  type ExperimentReport,
  experimentReport,
  type VariantReport,
} from "../../lib/api/evaluations_report.ts";
import type { Experiment } from "../../lib/experiments/experiment.ts";
import { define } from "../../lib/fresh/define.ts";
import { QueryParams } from "../../lib/http/query.ts";

interface ExperimentData {
  report: ExperimentReport;
  costs: EvaluationCosts;
}

export const handler = define.handlers<ExperimentData>({
  async GET(req, ctx) {
    const app = ctx.state.app;
    const { mode, population } = readEvaluationView(QueryParams.of(req.url));
    const costs = app.config.evaluate;
    const report = await experimentReport(
      app.db.sql,
      pathId(ctx.params.id),
      { mode, population },
      costs,
    );
    return ctx.render({ report, costs });
  },
});

function Period({ experiment }: { experiment: Experiment }) {
  const { startsAt, endsAt } = experiment;
  if (!startsAt && !endsAt) return <>no period set</>;
  return <>{startsAt ? formatUtc(startsAt) : "…"} to {endsAt ? formatUtc(endsAt) : "now"}</>;
}

function VariantsTable({ variants }: { variants: readonly VariantReport[] }) {
  return (
    <div class="table-scroll">
      <table class="data-table variants-table">
        <caption class="visually-hidden">Variants side by side</caption>
        <thead>
          <tr>
            <td></td>
            {variants.map((variant) => <th key={variant.name} scope="col">{variant.name}</th>)}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Model</th>
            {variants.map((variant) => (
              <td key={variant.name}>
                {variant.model
                  ? <a href={`/models/${variant.model.id}`}>{variant.model.name}</a>
                  : <span class="muted">deleted model</span>}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Weight</th>
            {variants.map((variant) => <td key={variant.name}>{variant.weight}</td>)}
          </tr>
          <tr>
            <th scope="row">Predictions</th>
            {variants.map((variant) => <td key={variant.name}>{variant.metrics.n}</td>)}
          </tr>
          <tr>
            <th scope="row">Win rate</th>
            {variants.map((variant) => (
              <td key={variant.name}>
                <IntervalLabel interval={variant.metrics.winRate} />
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">p-value</th>
            {variants.map((variant) => (
              <td key={variant.name}>
                <MetricValue value={variant.metrics.pValue} kind="pValue" />
              </td>
            ))}
          </tr>
          {RANK_METRICS.filter((key) => key !== "winRate").map((key) => (
            <tr key={key}>
              <th scope="row">{METRICS[key].label}</th>
              {variants.map((variant) => (
                <td key={variant.name}>
                  <MetricValue
                    value={METRICS[key].value(variant.metrics)}
                    kind={METRICS[key].kind}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Comparisons({ report }: { report: ExperimentReport }) {
  return (
    <section aria-labelledby="tests-title">
      <h2 id="tests-title">Paired tests</h2>
      {report.experiment.assignBy === "stock" &&
        report.comparisons.every((pair) => pair.comparison.shared === 0) && (
        <p class="muted">
          This experiment gives each stock to one variant, so its variants do not predict the same
          stock at the same time: with no shared predictions there is nothing to pair, and the
          variants' numbers above are the comparison.
        </p>
      )}
      {report.comparisons.map((pair) => (
        <div class="paired-test" key={`${pair.a}-${pair.b}`}>
          <h3>
            {pair.a} vs {pair.b}
          </h3>
          <PairedVerdict a={pair.a} b={pair.b} result={pair} test="mcnemar" />
          {pair.comparison.shared > 0 && (
            <PairedVerdict a={pair.a} b={pair.b} result={pair} test="bootstrap" />
          )}
        </div>
      ))}
    </section>
  );
}

export default define.page<ExperimentData>(({ data: { report, costs } }) => {
  const { experiment, view, variants } = report;
  const empty = variants.every((variant) => variant.metrics.n === 0);
  return (
    <>
      <div class="page-heading">
        <h1>
          Experiment: {experiment.name}
        </h1>
        <ul class="badges" aria-label="Experiment">
          <li class="badge badge-local">{experiment.status}</li>
          <li class="badge badge-local">assigned by {experiment.assignBy}</li>
        </ul>
      </div>
      {experiment.description && <p>{experiment.description}</p>}
      <p class="muted">
        Period: <Period experiment={experiment} />
      </p>
      <EvaluationViewForm
        action={`/experiments/${experiment.id}`}
        label="Choose the experiment's predictions"
        view={view}
      />
      {empty
        ? (
          <section class="empty-state" aria-labelledby="empty-title">
            <h2 id="empty-title">No data yet</h2>
            <p>
              No {MODE_LABELS[view.mode].toLowerCase()} {view.population}{" "}
              prediction made for this experiment has been scored yet. The predict job makes them
              while the experiment runs; run <code>deno task job evaluate</code>{" "}
              to score those whose horizon has passed.
            </p>
          </section>
        )
        : (
          <>
            <VariantsTable variants={variants} />
            <Comparisons report={report} />
          </>
        )}
      <MetricGlossary costs={costs} />
    </>
  );
});
