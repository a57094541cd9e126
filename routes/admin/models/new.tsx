// A new model: an LLM (OpenAI, OpenRouter or any compatible server) with its prompt, or one of the
// built-in models, validated exactly as POST /api/models validates it.
import { formActions, formValues, redirectWithFlash } from "../../../lib/http/form_actions.ts";
import {
  ModelFormFields,
  NEW_MODEL_VALUES,
  readModelForm,
} from "../../../components/admin/ModelForm.tsx";
import { PostForm } from "../../../components/admin/PostForm.tsx";
import { type FormState, NO_PROBLEMS, saveUnique } from "../../../lib/http/form_problems.ts";
import { bumpDataVersion } from "../../../lib/cache/data_version.ts";
import { define } from "../../../lib/fresh/define.ts";
import { createModel } from "../../../lib/models/store.ts";

export const handler = define.handlers<FormState>({
  GET(_req, ctx) {
    return ctx.render({ values: NEW_MODEL_VALUES, problems: NO_PROBLEMS });
  },
  POST: formActions<FormState>({
    async create(form, ctx) {
      const { app } = ctx.state;
      const read = readModelForm(form);
      const saved = read.ok
        ? await saveUnique(
          () => createModel(app.db.sql, read.value),
          "model_name_key",
          "name: another model has this name",
        )
        : read;
      if (!saved.ok) {
        return ctx.render({ values: formValues(form), problems: saved.problems }, { status: 422 });
      }
      await bumpDataVersion(app.cache);
      return redirectWithFlash(`/admin/models/${saved.value.id}`, "created");
    },
  }),
});

export default define.page<FormState>(({ data: form, state }) => (
  <>
    <div class="page-heading">
      <h1>New model</h1>
    </div>
    <p>
      <a href="/admin/models">All models</a>
    </p>
    <PostForm
      action="/admin/models/new"
      intent="create"
      csrf={state.csrfToken}
      class="admin-form"
      label="New model"
    >
      <ModelFormFields form={form} />
      <div class="form-actions">
        <button type="submit">Create model</button>
      </div>
    </PostForm>
  </>
));
