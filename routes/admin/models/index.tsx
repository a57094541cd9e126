// The model registry: every model, active or retired, with its provider, current prompt version
// and costs; each opens its edit page.
import { define } from "../../../lib/fresh/define.ts";
import type { Model } from "../../../lib/models/model.ts";
import { listModels } from "../../../lib/models/store.ts";

export const handler = define.handlers<Model[]>({
  async GET(_req, ctx) {
    return ctx.render(await listModels(ctx.state.app.db.sql));
  },
});

export default define.page<Model[]>(({ data: models }) => (
  <>
    <div class="page-heading">
      <h1>Models</h1>
      <a class="button-link" href="/admin/models/new">New model</a>
    </div>
    {models.length === 0 ? <p>No models yet.</p> : (
      <div class="table-scroll">
        <table class="data-table admin-table">
          <caption class="visually-hidden">Registered models</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Provider</th>
              <th scope="col">Model id</th>
              <th scope="col">Prompt</th>
              <th scope="col">Status</th>
              <th scope="col" class="number">Daily cap</th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <tr key={model.id}>
                <th scope="row">
                  <a href={`/admin/models/${model.id}`}>{model.name}</a>
                </th>
                <td>{model.provider}</td>
                <td>
                  <code>{model.modelId}</code>
                </td>
                <td>{model.prompt ? `version ${model.prompt.version}` : "—"}</td>
                <td>{model.active ? "Active" : "Retired"}</td>
                <td class="number">
                  {model.dailyCapUsd === null ? "none" : `$${model.dailyCapUsd}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </>
));
