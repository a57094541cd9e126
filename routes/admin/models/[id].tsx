// One model: every field editable (as PATCH /api/models/:id validates it; a changed prompt becomes
// a new version), the prompt variables next to the editor, the prompt's version history, and a test
// run on one stock that shows the raw model answer without storing anything.
import { SelectField } from "../../../components/admin/Field.tsx";
import { FieldErrors } from "../../../components/admin/FieldErrors.tsx";
import { FlashBanner } from "../../../components/admin/FlashBanner.tsx";
import {
  formActions,
  formText,
  formValues,
  redirectWithFlash,
} from "../../../lib/http/form_actions.ts";
import {
  ModelFormFields,
  modelValues,
  readModelForm,
} from "../../../components/admin/ModelForm.tsx";
import { PostForm } from "../../../components/admin/PostForm.tsx";
import {
  type FormState,
  NO_PROBLEMS,
  problemsByField,
  saveUnique,
} from "../../../lib/http/form_problems.ts";
import { PromptHistory } from "../../../components/admin/PromptHistory.tsx";
import { type TestRun, testRunModel } from "../../../lib/predict/test_run.ts";
import { TestRunResult } from "../../../components/admin/TestRunResult.tsx";
import { pathId } from "../../../lib/api/evaluations_params.ts";
import { bumpDataVersion } from "../../../lib/cache/data_version.ts";
import type { AppContext } from "../../../lib/context.ts";
import { define } from "../../../lib/fresh/define.ts";
import { NotFound } from "../../../lib/http/errors.ts";
import { isLlm, type Model, type PromptVersion } from "../../../lib/models/model.ts";
import { getModel, promptVersions, updateModel } from "../../../lib/models/store.ts";
import type { Stock } from "../../../lib/stocks/stock.ts";
import { getStock, listStocks } from "../../../lib/stocks/store.ts";

const FLASHES = {
  created: "Model created.",
  saved: "Model saved.",
  "new-version": "Model saved with a new prompt version: predictions from now on use it.",
};

interface ModelData {
  model: Model;
  versions: PromptVersion[];
  stocks: Stock[];
  horizons: number[];
  form: FormState;
  testRunForm: FormState;
  testRun: TestRun | null;
}

async function requireModel(app: AppContext, rawId: string): Promise<Model> {
  const model = await getModel(app.db.sql, pathId(rawId));
  if (!model) throw new NotFound(`No model ${rawId}`);
  return model;
}

async function pageData(
  app: AppContext,
  model: Model,
  state: Partial<ModelData> = {},
): Promise<ModelData> {
  const [versions, stocks] = await Promise.all([
    promptVersions(app.db.sql, model.id),
    listStocks(app.db.sql),
  ]);
  return {
    model,
    versions,
    stocks,
    horizons: app.config.predict.horizons,
    form: { values: modelValues(model), problems: NO_PROBLEMS },
    testRunForm: { values: {}, problems: NO_PROBLEMS },
    testRun: null,
    ...state,
  };
}

export const handler = define.handlers<ModelData>({
  async GET(_req, ctx) {
    const { app } = ctx.state;
    return ctx.render(await pageData(app, await requireModel(app, ctx.params.id)));
  },
  POST: formActions<ModelData>({
    async save(form, ctx) {
      const { app } = ctx.state;
      const current = await requireModel(app, ctx.params.id);
      const read = readModelForm(form, current);
      const saved = read.ok
        ? await saveUnique(
          () => updateModel(app.db.sql, current.id, read.value),
          "model_name_key",
          "name: another model has this name",
        )
        : read;
      if (!saved.ok) {
        const edited = { values: formValues(form), problems: saved.problems };
        return ctx.render(await pageData(app, current, { form: edited }), { status: 422 });
      }
      if (!saved.value) throw new NotFound(`No model ${current.id}`);
      await bumpDataVersion(app.cache);
      const newVersion = saved.value.prompt?.version !== current.prompt?.version;
      return redirectWithFlash(`/admin/models/${current.id}`, newVersion ? "new-version" : "saved");
    },
    async "test-run"(form, ctx) {
      const { app } = ctx.state;
      const model = await requireModel(app, ctx.params.id);
      const { horizons } = app.config.predict;
      const stock = await getStock(app.db.sql, formText(form, "symbol"));
      const horizon = Number(formText(form, "horizon"));
      const problems: string[] = [];
      if (!stock) problems.push("symbol: choose a stock");
      if (!horizons.includes(horizon)) {
        problems.push(`horizon: expected one of ${horizons.join(", ")}`);
      }
      const testRunForm = { values: formValues(form), problems: problemsByField(problems) };
      if (!stock || problems.length > 0) {
        return ctx.render(await pageData(app, model, { testRunForm }), { status: 422 });
      }
      const testRun = await testRunModel(app, model, stock, horizon);
      return ctx.render(await pageData(app, model, { testRunForm, testRun }));
    },
  }),
});

function TestRunForm(
  { data, action, csrf }: { data: ModelData; action: string; csrf: string },
) {
  const { values, problems } = data.testRunForm;
  const { model, stocks, horizons } = data;
  return (
    <PostForm action={action} intent="test-run" csrf={csrf} class="admin-form inline-fields">
      <FieldErrors id="test-run-errors" messages={problems[""]} />
      <SelectField
        id="test-run-symbol"
        name="symbol"
        label="Stock"
        value={values.symbol ?? stocks.find((stock) => stock.active)?.symbol ?? ""}
        problems={problems.symbol}
        choices={stocks.map((stock) => ({ value: stock.symbol, label: stock.symbol }))}
      />
      <SelectField
        id="test-run-horizon"
        name="horizon"
        label="Horizon (trading days)"
        value={values.horizon ?? String(horizons[0])}
        problems={problems.horizon}
        choices={horizons.map((horizon) => ({ value: String(horizon), label: String(horizon) }))}
      />
      <div class="form-actions">
        <button type="submit">Test run</button>
      </div>
      <p class="field-hint">
        {isLlm(model)
          ? `Sends the saved prompt (version ${model.prompt?.version}) to ${model.provider}. ` +
            "Nothing is stored; the call is billed but not counted against the daily cap."
          : "Runs the built-in model on the stock's inputs. Nothing is stored."}
      </p>
    </PostForm>
  );
}

export default define.page<ModelData>(({ data, url, state }) => {
  const { model, versions, form, testRun } = data;
  const action = `/admin/models/${model.id}`;
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
        <a href="/admin/models">All models</a> · <a href={`/models/${model.id}`}>Its results</a>
      </p>
      <FlashBanner url={url} messages={FLASHES} />
      <section aria-labelledby="edit-title">
        <h2 id="edit-title">Settings</h2>
        <PostForm action={action} intent="save" csrf={state.csrfToken} class="admin-form">
          <ModelFormFields form={form} provider={model.provider} />
          <div class="form-actions">
            <button type="submit">Save</button>
          </div>
        </PostForm>
      </section>
      {isLlm(model) && (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">Prompt versions</h2>
          <PromptHistory versions={versions} />
        </section>
      )}
      <section aria-labelledby="test-run-title-form">
        <h2 id="test-run-title-form">Test run</h2>
        <TestRunForm data={data} action={action} csrf={state.csrfToken} />
        {testRun && <TestRunResult run={testRun} />}
      </section>
    </>
  );
});
