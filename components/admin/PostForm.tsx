// Every admin form posts through these: the CSRF token and the action's name (`intent`, read by
// lib/http/form_actions.ts) are always there, so no form can forget them.
import { CsrfField } from "../CsrfField.tsx";
import type { ComponentChildren } from "preact";

export interface PostFormProps {
  /** The page that handles the post (and re-renders with errors). */
  action: string;
  intent: string;
  csrf: string;
  label?: string;
  class?: string;
  children: ComponentChildren;
}

export function PostForm(
  { action, intent, csrf, label, class: className, children }: PostFormProps,
) {
  return (
    <form method="post" action={action} class={className} aria-label={label}>
      <CsrfField token={csrf} />
      <input type="hidden" name="intent" value={intent} />
      {children}
    </form>
  );
}

/**
 * A one-button form (activate, start, run now…). `subject` completes the button's name for screen
 * readers ("Deactivate AAPL") where a table repeats the same button on every row.
 */
export function PostButton(
  { action, intent, csrf, fields = {}, label, subject, danger }: {
    action: string;
    intent: string;
    csrf: string;
    fields?: Record<string, string>;
    label: string;
    subject?: string;
    danger?: boolean;
  },
) {
  return (
    <PostForm action={action} intent={intent} csrf={csrf} class="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={danger ? "button-danger" : undefined}>
        {label}
        {subject && <span class="visually-hidden">{` ${subject}`}</span>}
      </button>
    </PostForm>
  );
}
