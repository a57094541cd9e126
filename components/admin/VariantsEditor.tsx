// An experiment's variants as a table of rows (name, model, weight) that works without JavaScript:
// a fixed number of rows, of which those with a model chosen are the variants. Field names and
// their reading back sit together so they cannot drift apart.
import type { Model } from "../../lib/models/model.ts";
import { FieldErrors } from "./FieldErrors.tsx";
import { formTexts } from "../../lib/http/form_actions.ts";

/** Rows offered: A/B tests rarely compare more than four variants. */
export const VARIANT_ROWS = 4;

/** One row as typed (text, shown again when the form comes back with problems). */
export interface VariantRow {
  name: string;
  modelId: string;
  weight: string;
}

/** Rows named A, B, C… with weight 1: choosing two models is enough for an even split. */
export const NEW_VARIANT_ROWS: readonly VariantRow[] = Array.from(
  { length: VARIANT_ROWS },
  (_, index) => ({ name: String.fromCharCode(65 + index), modelId: "", weight: "1" }),
);

/** Every row as posted. */
export function readVariantRows(form: FormData): VariantRow[] {
  const names = formTexts(form, "variantName");
  const models = formTexts(form, "variantModel");
  const weights = formTexts(form, "variantWeight");
  return names.map((name, index) => ({
    name,
    modelId: models[index] ?? "",
    weight: weights[index] ?? "",
  })).slice(0, VARIANT_ROWS);
}

/** The variants the rows describe (those with a model), for lib/experiments/validate.ts to check. */
export function variantsOf(rows: readonly VariantRow[]) {
  return rows.filter((row) => row.modelId !== "").map((row) => ({
    name: row.name,
    modelId: Number(row.modelId),
    weight: Number(row.weight),
  }));
}

export function VariantsEditor(
  { rows, models, problems }: {
    rows: readonly VariantRow[];
    models: readonly Model[];
    problems?: readonly string[];
  },
) {
  const padded = [...rows, ...NEW_VARIANT_ROWS.slice(rows.length)];
  return (
    <fieldset class="variants-editor">
      <legend>Variants</legend>
      <p class="field-hint" id="variants-hint">
        Rows with a model are the variants (at least two). Weights are relative shares of the stocks
        or users.
      </p>
      <FieldErrors id="variants-errors" messages={problems} />
      <div class="table-scroll">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Model</th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {padded.map((row, index) => (
              <tr key={index}>
                <td>
                  <input
                    name="variantName"
                    value={row.name}
                    maxLength={40}
                    aria-label={`Variant ${index + 1} name`}
                  />
                </td>
                <td>
                  <select name="variantModel" aria-label={`Variant ${index + 1} model`}>
                    <option value="" selected={row.modelId === ""}>— none —</option>
                    {models.map((model) => (
                      <option
                        key={model.id}
                        value={String(model.id)}
                        selected={String(model.id) === row.modelId}
                      >
                        {model.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    name="variantWeight"
                    type="number"
                    min="0"
                    step="any"
                    value={row.weight}
                    aria-label={`Variant ${index + 1} weight`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}
