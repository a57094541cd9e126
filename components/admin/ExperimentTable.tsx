// The A/B experiments, newest first: status, assignment, period, variants, a link to the results,
// and the one move each may make next (a draft starts, a running experiment stops).
import { canMove, type Experiment } from "../../lib/experiments/experiment.ts";
import type { Model } from "../../lib/models/model.ts";
import { formatUtc } from "../UtcTime.tsx";
import { PostButton } from "./PostForm.tsx";

function period({ startsAt, endsAt }: Experiment): string {
  if (!startsAt && !endsAt) return "not set";
  return `${startsAt ? formatUtc(startsAt) : "…"} to ${endsAt ? formatUtc(endsAt) : "open end"}`;
}

export function ExperimentTable(
  { experiments, models, csrf }: {
    experiments: readonly Experiment[];
    models: readonly Model[];
    csrf: string;
  },
) {
  const names = new Map(models.map((model) => [model.id, model.name]));
  const move = (experiment: Experiment, intent: "start" | "stop", label: string) => (
    <PostButton
      action="/admin/experiments"
      intent={intent}
      csrf={csrf}
      fields={{ id: String(experiment.id) }}
      label={label}
      subject={experiment.name}
    />
  );
  return (
    <div class="table-scroll">
      <table class="data-table admin-table">
        <caption class="visually-hidden">A/B experiments, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Assigned by</th>
            <th scope="col">Period</th>
            <th scope="col">Variants</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {experiments.map((experiment) => (
            <tr key={experiment.id}>
              <th scope="row">
                <a href={`/experiments/${experiment.id}`}>{experiment.name}</a>
              </th>
              <td>{experiment.status}</td>
              <td>{experiment.assignBy}</td>
              <td>{period(experiment)}</td>
              <td>
                <ul class="plain-list">
                  {experiment.variants.map((variant) => (
                    <li key={variant.name}>
                      {variant.name}: {names.get(variant.modelId) ?? "deleted model"} ×{" "}
                      {variant.weight}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {canMove(experiment.status, "running") && move(experiment, "start", "Start")}
                {canMove(experiment.status, "stopped") && move(experiment, "stop", "Stop")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
