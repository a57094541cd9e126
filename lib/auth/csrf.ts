// CSRF tokens for cookie-authenticated requests, as an HMAC of what the browser's cookies identify
// (OWASP's signed double-submit variant; nothing is stored):
//   signed in   HMAC(key, "session:" + the login's session family id, from the access token)
//   anonymous   HMAC(key, "visitor:" + the random id in the craveny_visitor cookie) — login forms
//               are protected too, so another site can't sign a victim into its own account.
// Another site can neither read these values nor compute them, so it can't put a valid token in a
// forged form or request. A token outlives access-token refreshes (the family stays the same) and
// dies with the login. Bearer-token calls need none: browsers never attach a bearer token.
import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";
import { randomToken } from "../crypto/random_token.ts";
import { HttpError } from "../http/errors.ts";
import type { State } from "../state.ts";

/** The form field (components/CsrfField.tsx) and the header (scripts) that carry the token. */
export const CSRF_FIELD = "csrf";
export const CSRF_HEADER = "X-CSRF-Token";

export type CsrfBinding = { session: string } | { visitor: string };

/** A new anonymous visitor id (the craveny_visitor cookie): 128 random bits. */
export function newVisitorId(): string {
  return randomToken(16);
}

export function isVisitorId(value: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(value);
}

export class CsrfFailed extends HttpError {
  constructor() {
    super(
      403,
      "csrf_failed",
      "The request's CSRF token is missing or does not match this session: reload the page and try again.",
    );
  }
}

export function csrfTokenFor(key: Uint8Array, binding: CsrfBinding): string {
  const subject = "session" in binding
    ? `session:${binding.session}`
    : `visitor:${binding.visitor}`;
  return createHmac("sha256", key).update(subject).digest("base64url");
}

/** Equal non-empty tokens, compared in constant time. */
export function csrfMatches(given: string | null | undefined, expected: string): boolean {
  if (!given || !expected) return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

/**
 * Throws 403 `csrf_failed` unless the form field `csrf` (or, without one, the X-CSRF-Token header)
 * carries this request's token (`state.csrfToken`, set by routes/_middleware.ts).
 */
export function verifyCsrf(
  req: Request,
  form: FormData | null,
  state: Pick<State, "csrfToken">,
): void {
  const field = form?.get(CSRF_FIELD);
  const given = typeof field === "string" ? field : req.headers.get(CSRF_HEADER);
  if (!csrfMatches(given, state.csrfToken)) throw new CsrfFailed();
}
