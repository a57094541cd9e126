// How the admin console's forms post. Every POST reads its form once and checks the CSRF token
// before anything else; then it runs the action the form names in its hidden `intent` field, so
// one page can carry several small forms and re-render itself, errors and all, from any of them.
import { verifyCsrf } from "../auth/csrf.ts";
import type { FreshContext, Handler } from "../fresh/types.ts";
import { BadRequest } from "./errors.ts";
import { readForm } from "./form_body.ts";
import type { State } from "../state.ts";

/** One form action of a page: called with the CSRF-checked form. */
export type FormAction<Data> = (
  form: FormData,
  ctx: FreshContext<State, Data>,
) => Promise<Response>;

/** A POST handler dispatching on the form's `intent`; an unknown intent is a 400. */
export function formActions<Data>(actions: Record<string, FormAction<Data>>): Handler<Data> {
  return async (req, ctx) => {
    const form = await readForm(req, ctx.state.app.config.bodyLimitBytes);
    verifyCsrf(req, form, ctx.state);
    const intent = formText(form, "intent");
    if (!Object.hasOwn(actions, intent)) throw new BadRequest("This form asks for no known action");
    return await actions[intent](form, ctx);
  };
}

/** A field's text, trimmed; "" when the field is missing (or is a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** A field's text, trimmed; null when empty (an optional field left blank). */
export function formOptionalText(form: FormData, name: string): string | null {
  return formText(form, name) || null;
}

/** Every value of a repeated field, trimmed, in form order. */
export function formTexts(form: FormData, name: string): string[] {
  return form.getAll(name).map((value) => typeof value === "string" ? value.trim() : "");
}

/** A hidden id field: the page wrote it, so anything but a positive integer is a 400. */
export function formId(form: FormData, name: string): number {
  const raw = formText(form, name);
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || id < 1) throw new BadRequest(`${name}: expected an id`);
  return id;
}

/** The text fields of a form as submitted, to show them again next to their problems. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === "string" && name !== "csrf" && name !== "intent") values[name] = value;
  }
  return values;
}

/** Post/Redirect/Get: back to `path`, whose page shows the message `flash` names. */
export function redirectWithFlash(path: string, flash: string): Response {
  const location = `${path}?${new URLSearchParams({ flash })}`;
  return new Response(null, { status: 303, headers: { location } });
}
