// Adding an alert rule: what it is about, the threshold of its kind, how often it may alert and
// until when. The bot's /subscribe sets the same rules (/help subscribe there).
import { CheckboxField, DateField, SelectField, TextField } from "../admin/Field.tsx";
import { FieldErrors } from "../admin/FieldErrors.tsx";
import { PostForm } from "../admin/PostForm.tsx";
import type { FormState } from "../../lib/http/form_problems.ts";
import { ALERT_FREQUENCIES, ALERT_RULES } from "../../lib/alerts/types.ts";
import { FREQUENCY_LABELS, RULE_LABELS } from "../../lib/alerts/rule_form.ts";

export function AlertRuleForm(
  { form, symbols, models, csrf }: {
    form: FormState;
    symbols: string[];
    models: string[];
    csrf: string;
  },
) {
  const value = (name: string, fallback = "") => form.values[name] ?? fallback;
  const problems = (name: string) => form.problems[name];
  const field = (name: string) => ({ id: `rule-${name}`, name, problems: problems(name) });
  return (
    <PostForm action="/account" intent="add-rule" csrf={csrf} class="admin-form" label="Add a rule">
      <FieldErrors id="rule-form-errors" messages={form.problems[""]} />
      <div class="form-grid">
        <SelectField
          {...field("rule")}
          label="Alert me when"
          value={value("rule", "strong")}
          choices={ALERT_RULES.map((rule) => ({ value: rule, label: RULE_LABELS[rule] }))}
        />
        <SelectField
          {...field("stock")}
          label="Stock"
          value={value("stock")}
          choices={[
            { value: "", label: "Any stock" },
            ...symbols.map((symbol) => ({ value: symbol, label: symbol })),
          ]}
        />
        <SelectField
          {...field("model")}
          label="Model"
          hint="A win-rate rule needs one; a consensus is among all models."
          value={value("model")}
          choices={[
            { value: "", label: "Any model" },
            ...models.map((model) => ({ value: model, label: model })),
          ]}
        />
        <SelectField
          {...field("direction")}
          label="Direction"
          value={value("direction")}
          choices={[
            { value: "", label: "Any direction" },
            { value: "up", label: "Up only" },
            { value: "down", label: "Down only" },
            { value: "flat", label: "Flat only" },
          ]}
        />
        <TextField
          {...field("min_confidence")}
          label="Confidence at least"
          hint="0.8 or 80%. A strong call: 70% when left empty; other rules: any."
          value={value("min_confidence")}
          inputMode="decimal"
          maxLength={8}
        />
        <TextField
          {...field("min_models")}
          label="Models that must agree"
          hint="Consensus only: 2 to 100."
          value={value("min_models")}
          inputMode="decimal"
          maxLength={3}
        />
        <TextField
          {...field("win_rate_below")}
          label="Win rate below"
          hint="Win-rate rule only: 0.45 or 45%."
          value={value("win_rate_below")}
          inputMode="decimal"
          maxLength={8}
        />
        <SelectField
          {...field("frequency")}
          label="How often"
          value={value("frequency", "every")}
          choices={ALERT_FREQUENCIES.map((f) => ({ value: f, label: FREQUENCY_LABELS[f] }))}
        />
        <DateField
          {...field("expires")}
          label="Until (optional)"
          hint="The last day the rule alerts, UTC."
          value={value("expires")}
        />
      </div>
      <CheckboxField
        {...field("digest")}
        label="Collect into one daily digest message"
        checked={value("digest") === "on"}
      />
      <div class="form-actions">
        <button type="submit">Add rule</button>
      </div>
    </PostForm>
  );
}
