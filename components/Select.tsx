export interface Choice {
  value: string;
  label: string;
}

/** A labelled <select> for a plain GET form, `value` chosen. */
export function Select(
  { name, label, value, choices }: {
    name: string;
    label: string;
    value: string;
    choices: readonly Choice[];
  },
) {
  return (
    <label>
      {label}
      <select name={name}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} selected={choice.value === value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}
