// One model: its metrics for a mode, window and population (the /api/evaluations/models/:id
// parameters), its equity curve against buy-and-hold, its drawdown, its calibration and its
// record per stock.
import { CalibrationChart } from "../../components/CalibrationChart.tsx";
import {
  EvaluationViewForm,
  MODE_LABELS,
  WINDOW_LABELS,
} from "../../components/EvaluationViewForm.tsx";
import { IntervalLabel } from "../../components/IntervalLabel.tsx";
import { MetricGlossary } from "../../components/MetricGlossary.tsx";
import { MetricValue } from "../../components/MetricValue.tsx";
import { ModelCurves } from "../../components/ModelCurves.tsx";
import { StockRecordTable } from "../../components/StockRecordTable.tsx";
import { METRICS, type RankMetric } from "../../lib/api/evaluations_metrics.ts";
import { pathId, predictionsHref, readEvaluationView } from "../../lib/api/evaluations_params.ts";
import {
  type EvaluationCosts,
  type ModelReport,
  modelReport,
} from "../../lib/api/evaluations_report.ts";
import { define } from "../../lib/fresh/define.ts";
import { QueryParams } from "../../lib/http/query.ts";

interface ModelData {
  report: ModelReport;
  costs: EvaluationCosts;
}

export const handler = define.handlers<ModelData>({
  async GET(req, ctx) {
    const app = ctx.state.app;
    const view = readEvaluationView(QueryParams.of(req.url));
    const report = await modelReport(app.db.sql, pathId(ctx.params.id), view);
    return ctx.render({ report, costs: app.config.evaluate });
  },
});

/** The headline numbers, in this order, after predictions and win rate. */
const HEADLINE: RankMetric[] = [
  "meanStrategyReturn",
  "meanNetReturn",
  "cumulativeReturn",
  "excessVsBuyAndHold",
  "excessVsIndex",
  "sharpe",
  "sortino",
  "maxDrawdown",
  "brier",
  "icMean",
];

function Summary({ report, href }: { report: ModelReport; href: string }) {
  const { metrics } = report;
  return (
    <dl class="stats metric-stats">
      <div class="stat">
        <dt>Predictions</dt>
        <dd>
          <MetricValue value={metrics.n} kind="count" href={href} />
        </dd>
      </div>
      <div class="stat">
        <dt>Win rate</dt>
        <dd>
          <IntervalLabel interval={metrics.winRate} />
        </dd>
      </div>
      <div class="stat">
        <dt>p-value</dt>
        <dd>
          <MetricValue value={metrics.pValue} kind="pValue" />
        </dd>
      </div>
      {HEADLINE.map((key) => (
        <div class="stat" key={key}>
          <dt>{METRICS[key].label}</dt>
          <dd>
            <MetricValue value={METRICS[key].value(metrics)} kind={METRICS[key].kind} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function CurvesSection({ report }: { report: ModelReport }) {
  const { model, view, curve } = report;
  return (
    <section aria-labelledby="curve-title">
      <h2 id="curve-title">Equity curve</h2>
      {view.population === "contaminated"
        ? (
          <p>
            Daily curves count clean predictions only: contaminated ones are reported apart, not
            traded.
          </p>
        )
        : curve.length === 0
        ? (
          <p>
            No daily performance yet: run <code>deno task job evaluate</code>.
          </p>
        )
        : (
          <>
            <p class="muted">
              All time, {MODE_LABELS[view.mode].toLowerCase()}{" "}
              clean predictions, one point per day on which predictions resolved.
            </p>
            <ModelCurves model={model.name} curve={curve} />
          </>
        )}
    </section>
  );
}

export default define.page<ModelData>(({ data: { report, costs } }) => {
  const { model, view, metrics } = report;
  const href = predictionsHref({ model: model.name, view, periodStart: report.periodStart });
  return (
    <>
      <div class="page-heading">
        <h1>{model.name}</h1>
        <ul class="badges" aria-label="Model">
          <li class="badge badge-local">{model.provider}</li>
          {model.active ? null : <li class="badge badge-local">retired</li>}
        </ul>
      </div>
      <p>
        <a href="/models">All models</a>
      </p>
      <EvaluationViewForm
        action={`/models/${model.id}`}
        label={`Choose ${model.name}'s predictions`}
        view={view}
      />
      {metrics.n === 0
        ? (
          <section class="empty-state" aria-labelledby="empty-title">
            <h2 id="empty-title">No data yet</h2>
            <p>
              {model.name} has no scored {MODE_LABELS[view.mode].toLowerCase()} {view.population}
              {" "}
              predictions ({WINDOW_LABELS[view.window].toLowerCase()}). Predictions are scored once
              their horizon has passed: run <code>deno task job evaluate</code>.
            </p>
          </section>
        )
        : (
          <>
            <p class="muted">
              {report.periodStart && report.periodEnd
                ? `Outcomes from ${report.periodStart} to ${report.periodEnd}. `
                : ""}
              <a href={href}>The predictions behind these numbers</a>
            </p>
            <Summary report={report} href={href} />
            <CurvesSection report={report} />
            <section aria-labelledby="calibration-title">
              <h2 id="calibration-title">Calibration</h2>
              <CalibrationChart id="calibration-chart" buckets={report.calibration} />
            </section>
            <section aria-labelledby="stocks-title">
              <h2 id="stocks-title">Per stock</h2>
              <StockRecordTable
                model={model.name}
                stocks={report.stocks}
                view={view}
                periodStart={report.periodStart}
              />
            </section>
          </>
        )}
      <MetricGlossary costs={costs} />
    </>
  );
});
