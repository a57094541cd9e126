// Labelled form fields with a hint and their validation problems: the input says it is invalid
// and points at both texts, so a screen reader reads them with the field.
import type { Choice } from "../Select.tsx";
import { FieldErrors } from "./FieldErrors.tsx";
import type { ComponentChildren } from "preact";

interface FieldProps {
  /** Unique on the page: a page can hold several forms with the same field names. */
  id: string;
  name: string;
  label: string;
  hint?: string;
  problems?: readonly string[];
}

function ariaOf({ id, hint, problems }: FieldProps) {
  const describedBy = [hint && `${id}-hint`, problems?.length && `${id}-errors`].filter(Boolean);
  return {
    "aria-invalid": problems?.length ? ("true" as const) : undefined,
    "aria-describedby": describedBy.length ? describedBy.join(" ") : undefined,
  };
}

function FieldFrame(props: FieldProps & { children: ComponentChildren }) {
  const { id, label, hint, problems, children } = props;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && <p class="field-hint" id={`${id}-hint`}>{hint}</p>}
      {children}
      <FieldErrors id={`${id}-errors`} messages={problems} />
    </div>
  );
}

/** A one-line text input; `inputMode` picks the phone keyboard (numbers, URLs). */
export function TextField(
  props: FieldProps & {
    value: string;
    inputMode?: "decimal" | "url";
    required?: boolean;
    maxLength?: number;
    placeholder?: string;
  },
) {
  const { id, name, value, inputMode, required, maxLength, placeholder } = props;
  return (
    <FieldFrame {...props}>
      <input
        id={id}
        name={name}
        value={value}
        inputMode={inputMode}
        required={required}
        maxLength={maxLength}
        placeholder={placeholder}
        {...ariaOf(props)}
      />
    </FieldFrame>
  );
}

/** A calendar day, YYYY-MM-DD (the browser's date picker where there is one). */
export function DateField(props: FieldProps & { value: string }) {
  const { id, name, value } = props;
  return (
    <FieldFrame {...props}>
      <input id={id} name={name} type="date" value={value} {...ariaOf(props)} />
    </FieldFrame>
  );
}

export function TextAreaField(
  props: FieldProps & { value: string; rows?: number; code?: boolean },
) {
  const { id, name, value, rows = 4, code } = props;
  return (
    <FieldFrame {...props}>
      <textarea
        id={id}
        name={name}
        rows={rows}
        class={code ? "code-input" : undefined}
        spellcheck={code ? false : undefined}
        {...ariaOf(props)}
      >
        {/* HTML drops one line break right after <textarea>: this one, not the value's own. */}
        {`\n${value}`}
      </textarea>
    </FieldFrame>
  );
}

export function SelectField(
  props: FieldProps & { value: string; choices: readonly Choice[] },
) {
  const { id, name, value, choices } = props;
  return (
    <FieldFrame {...props}>
      <select id={id} name={name} {...ariaOf(props)}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} selected={choice.value === value}>
            {choice.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A checkbox posting "on" when ticked (and nothing when not, as browsers do). */
export function CheckboxField(props: FieldProps & { checked: boolean }) {
  const { id, name, label, hint, problems, checked } = props;
  return (
    <div class="field field-checkbox">
      <input id={id} name={name} type="checkbox" checked={checked} {...ariaOf(props)} />
      <label for={id}>{label}</label>
      {hint && <p class="field-hint" id={`${id}-hint`}>{hint}</p>}
      <FieldErrors id={`${id}-errors`} messages={problems} />
    </div>
  );
}
