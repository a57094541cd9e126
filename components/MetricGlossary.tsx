// What every number on the evaluation pages means (DESIGN §6), behind a <details> so it is one
// click away on every page that shows them. The metric definitions come from the same catalogue
// the ranking uses; the flat band and the cost are the evaluate job's settings.
import { Fragment } from "preact";
import { METRICS, RANK_METRICS, SIGNIFICANCE } from "../lib/api/evaluations_metrics.ts";
import type { EvaluationCosts } from "../lib/api/evaluations_report.ts";

export function MetricGlossary({ costs }: { costs: EvaluationCosts }) {
  const band = `±${(costs.flatBand * 100).toFixed(2)}%`;
  const cost = `${costs.costBps} bps (${(costs.costBps / 100).toFixed(2)}%)`;
  return (
    <details class="glossary">
      <summary>What these numbers mean</summary>
      <dl>
        <dt>Predictions (n)</dt>
        <dd>
          Scored predictions: those whose horizon has passed, labelled with what the stock did from
          the first close after the prediction to the close the horizon later.
        </dd>
        <dt>Flat band</dt>
        <dd>
          A return within {band}{" "}
          counts as flat: neither a win nor a loss for an up or down call, and a win for a flat
          call.
        </dd>
        <dt>Trading cost</dt>
        <dd>Net returns pay {cost} of the stake per unit of position change.</dd>
        {RANK_METRICS.map((key) => (
          <Fragment key={key}>
            <dt>{METRICS[key].label}</dt>
            <dd>{METRICS[key].definition}</dd>
          </Fragment>
        ))}
        <dt>p-value</dt>
        <dd>
          Two-sided exact binomial test of the wins among wins and losses against 50%: how
          surprising the win rate would be from coin flips.
        </dd>
        <dt>Meaningful lead</dt>
        <dd>
          A paired test on the predictions both models made (same stock, time and horizon): for win
          rate and Brier, McNemar's exact test on who was right where the other was not (p &lt;{" "}
          {SIGNIFICANCE}); for returns and risk, whether the 95% bootstrap interval of the mean
          return difference excludes 0.
        </dd>
        <dt>Mode, window, predictions</dt>
        <dd>
          Live predictions were made in real time; replays re-run history under the same
          point-in-time rules. They are never mixed. Windows count the last 30 or 90 days of
          outcomes up to each model's latest. "Contaminated" predictions were made for days before
          the model's knowledge cutoff — it may remember what happened — and are reported apart.
        </dd>
      </dl>
    </details>
  );
}
