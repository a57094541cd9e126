// For the admin console's page tests: an admin account to sign in as, and forms posted the way a
// browser posts them — urlencoded, with the CSRF token the page itself rendered.
import assert from "node:assert/strict";
import type { Database } from "../../lib/db/port.ts";
import { createTestUser, type TestUser } from "../support/auth.ts";
import type { GetPage, PageResponse } from "../support/pages.ts";

export function createAdmin(db: Database, email = "admin@example.com"): Promise<TestUser> {
  return createTestUser({ db }, { role: "admin", email, displayName: "Ada Admin" });
}

/** The CSRF token in a rendered page's forms. */
export function csrfOf(html: string): string {
  const token = /<input type="hidden" name="csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, "the page has no CSRF field");
  return token;
}

/** Posts `fields` (repeated names allowed) to `path` as a form, exactly as given. */
export function postForm(
  page: GetPage,
  path: string,
  fields: Record<string, string> | [string, string][],
): Promise<PageResponse> {
  return page(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

/** Opens `path`, then posts its `intent` form there with the page's CSRF token and `fields`. */
export async function submit(
  page: GetPage,
  path: string,
  intent: string,
  fields: Record<string, string> | [string, string][] = {},
): Promise<PageResponse> {
  const { html } = await page(path);
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  return await postForm(page, path, [["csrf", csrfOf(html)], ["intent", intent], ...pairs]);
}

/** A Post/Redirect/Get answer: 303 to `path` with the flash `flash`. */
export function assertFlashRedirect(response: PageResponse, path: string, flash: string): void {
  assert.equal(response.status, 303, response.html);
  assert.equal(response.headers.get("location"), `${path}?flash=${flash}`);
}

/** A field's problems list as rendered (FieldErrors), or "" when it shows none. */
export function fieldErrors(html: string, id: string): string {
  return new RegExp(`<ul class="field-errors" id="${id}-errors">(.*?)</ul>`, "s").exec(html)?.[1] ??
    "";
}
