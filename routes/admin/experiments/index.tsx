// A/B experiments: the list with start and stop buttons (draft → running → stopped, never back),
// links to each one's results, and a form to create a draft, validated as POST /api/ab-tests does.
import { ExperimentTable } from "../../../components/admin/ExperimentTable.tsx";
import {
  DateField,
  SelectField,
  TextAreaField,
  TextField,
} from "../../../components/admin/Field.tsx";
import { FieldErrors } from "../../../components/admin/FieldErrors.tsx";
import { Banner, FlashBanner } from "../../../components/admin/FlashBanner.tsx";
import {
  type FormAction,
  formActions,
  formId,
  formOptionalText,
  formText,
  formValues,
  redirectWithFlash,
} from "../../../lib/http/form_actions.ts";
import { PostForm } from "../../../components/admin/PostForm.tsx";
import {
  type FormState,
  NO_PROBLEMS,
  saveUnique,
  validate,
} from "../../../lib/http/form_problems.ts";
import {
  NEW_VARIANT_ROWS,
  readVariantRows,
  type VariantRow,
  VariantsEditor,
  variantsOf,
} from "../../../components/admin/VariantsEditor.tsx";
import { bumpDataVersion } from "../../../lib/cache/data_version.ts";
import type { AppContext } from "../../../lib/context.ts";
import {
  ASSIGN_BY,
  canMove,
  type Experiment,
  type ExperimentStatus,
} from "../../../lib/experiments/experiment.ts";
import {
  createExperiment,
  getExperiment,
  listExperiments,
  moveExperiment,
} from "../../../lib/experiments/store.ts";
import { parseExperimentFields } from "../../../lib/experiments/validate.ts";
import { define } from "../../../lib/fresh/define.ts";
import { NotFound } from "../../../lib/http/errors.ts";
import type { Model } from "../../../lib/models/model.ts";
import { listModels } from "../../../lib/models/store.ts";

const PATH = "/admin/experiments";

const FLASHES = {
  created: "Draft created. Start it when its variants are right: a running experiment is fixed.",
  started: "Experiment started: the predict job assigns stocks to its variants from its next run.",
  stopped: "Experiment stopped. Its results stay.",
};

interface ExperimentsData {
  experiments: Experiment[];
  models: Model[];
  form: FormState;
  variantRows: readonly VariantRow[];
  /** Why the last action was refused. */
  refusal: string | null;
}

async function pageData(
  app: AppContext,
  state: Partial<ExperimentsData> = {},
): Promise<ExperimentsData> {
  const [experiments, models] = await Promise.all([
    listExperiments(app.db.sql),
    listModels(app.db.sql),
  ]);
  return {
    experiments,
    models,
    form: { values: { assignBy: "stock" }, problems: NO_PROBLEMS },
    variantRows: NEW_VARIANT_ROWS,
    refusal: null,
    ...state,
  };
}

/** The experiment a form describes, in the JSON shape the validator reads. */
function experimentBody(form: FormData, rows: readonly VariantRow[]) {
  return {
    name: formText(form, "name"),
    description: formOptionalText(form, "description"),
    variants: variantsOf(rows),
    assignBy: formText(form, "assignBy"),
    startsAt: formOptionalText(form, "startsAt"),
    endsAt: formOptionalText(form, "endsAt"),
  };
}

/** Starts or stops an experiment; a move it cannot make is refused on the page, not an error. */
function moveTo(to: ExperimentStatus, flash: keyof typeof FLASHES): FormAction<ExperimentsData> {
  return async (form, ctx) => {
    const { app } = ctx.state;
    const current = await getExperiment(app.db.sql, formId(form, "id"));
    if (!current) throw new NotFound("No such experiment");
    const moved = canMove(current.status, to) &&
      await moveExperiment(app.db.sql, current.id, current.status, to);
    if (!moved) {
      const refusal = `${current.name} is ${current.status} and cannot become ${to}; ` +
        "the list below shows its status now.";
      return ctx.render(await pageData(app, { refusal }), { status: 409 });
    }
    await bumpDataVersion(app.cache);
    return redirectWithFlash(PATH, flash);
  };
}

export const handler = define.handlers<ExperimentsData>({
  async GET(_req, ctx) {
    return ctx.render(await pageData(ctx.state.app));
  },
  POST: formActions<ExperimentsData>({
    async create(form, ctx) {
      const { app } = ctx.state;
      const rows = readVariantRows(form);
      const modelIds = new Set((await listModels(app.db.sql)).map((model) => model.id));
      const read = validate(() =>
        parseExperimentFields(experimentBody(form, rows), (id) => modelIds.has(id))
      );
      const saved = read.ok
        ? await saveUnique(
          () => createExperiment(app.db.sql, read.value),
          "ab_test_name_key",
          "name: another experiment has this name",
        )
        : read;
      if (!saved.ok) {
        const state = { form: { values: formValues(form), problems: saved.problems } };
        return ctx.render(await pageData(app, { ...state, variantRows: rows }), { status: 422 });
      }
      await bumpDataVersion(app.cache);
      return redirectWithFlash(PATH, "created");
    },
    start: moveTo("running", "started"),
    stop: moveTo("stopped", "stopped"),
  }),
});

function CreateDraftForm({ data, csrf }: { data: ExperimentsData; csrf: string }) {
  const { values, problems } = data.form;
  const field = (name: string) => ({
    id: `experiment-${name}`,
    name,
    value: values[name] ?? "",
    problems: problems[name],
  });
  return (
    <PostForm action={PATH} intent="create" csrf={csrf} class="admin-form" label="New draft">
      <FieldErrors id="experiment-form-errors" messages={problems[""]} />
      <TextField {...field("name")} label="Name" required maxLength={100} />
      <TextAreaField {...field("description")} label="Description" rows={2} />
      <VariantsEditor rows={data.variantRows} models={data.models} problems={problems.variants} />
      <SelectField
        {...field("assignBy")}
        label="Assign by"
        hint="Stock: each stock gets one variant. User: each user sees one variant."
        choices={ASSIGN_BY.map((value) => ({ value, label: value }))}
      />
      <div class="form-grid">
        <DateField
          {...field("startsAt")}
          label="Starts (UTC)"
          hint="Empty: when started."
        />
        <DateField
          {...field("endsAt")}
          label="Ends (UTC)"
          hint="Empty: when stopped."
        />
      </div>
      <div class="form-actions">
        <button type="submit">Create draft</button>
      </div>
    </PostForm>
  );
}

export default define.page<ExperimentsData>(({ data, url, state }) => (
  <>
    <div class="page-heading">
      <h1>Experiments</h1>
    </div>
    <FlashBanner url={url} messages={FLASHES} />
    {data.refusal && <Banner tone="error" message={data.refusal} />}
    <section aria-labelledby="experiments-title">
      <h2 id="experiments-title">A/B experiments</h2>
      {data.experiments.length > 0
        ? (
          <ExperimentTable
            experiments={data.experiments}
            models={data.models}
            csrf={state.csrfToken}
          />
        )
        : <p>No experiments yet.</p>}
    </section>
    <section aria-labelledby="new-experiment-title">
      <h2 id="new-experiment-title">New draft</h2>
      <CreateDraftForm data={data} csrf={state.csrfToken} />
    </section>
  </>
));
