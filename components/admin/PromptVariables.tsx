// The variables a prompt template may use, each with what it stands for (next to the editor).
import { PROMPT_VARIABLES } from "../../lib/predict/prompt_variables.ts";

export function PromptVariables() {
  return (
    <section class="prompt-variables" aria-labelledby="prompt-variables-title">
      <h3 id="prompt-variables-title">Variables</h3>
      <p class="field-hint">
        Write <code>{"{{name}}"}</code>; <code>{"{{output_schema}}"}</code> is required.
      </p>
      <dl>
        {Object.entries(PROMPT_VARIABLES).map(([name, description]) => (
          <div key={name}>
            <dt>
              <code>{`{{${name}}}`}</code>
            </dt>
            <dd>{description}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
