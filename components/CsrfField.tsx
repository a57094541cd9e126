import { CSRF_FIELD } from "../lib/auth/csrf.ts";

/** The hidden field every cookie-authenticated form posts (checked by lib/auth/csrf.ts). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}
