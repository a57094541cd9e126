import assert from "node:assert/strict";
import { csrfMatches, csrfTokenFor, isVisitorId, newVisitorId, verifyCsrf } from "./csrf.ts";

const key = crypto.getRandomValues(new Uint8Array(32));
const session = "0b6d3f4e-9c1a-4c55-8d2e-6f7a8b9c0d1e";

Deno.test("tokens are bound to the session or visitor and to the key", () => {
  const token = csrfTokenFor(key, { session });
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(csrfTokenFor(key, { session }), token, "stable across requests and refreshes");
  assert.notEqual(csrfTokenFor(key, { session: crypto.randomUUID() }), token);
  assert.notEqual(csrfTokenFor(key, { visitor: session }), token, "a visitor id is not a session");
  assert.notEqual(csrfTokenFor(crypto.getRandomValues(new Uint8Array(32)), { session }), token);
  const visitor = newVisitorId();
  assert.ok(isVisitorId(visitor));
  assert.notEqual(newVisitorId(), visitor);
});

Deno.test("csrfMatches: equal non-empty tokens only", () => {
  const token = csrfTokenFor(key, { session });
  assert.ok(csrfMatches(token, token));
  assert.ok(!csrfMatches(`${token.slice(0, -1)}x`, token));
  assert.ok(!csrfMatches(token.slice(1), token));
  assert.ok(!csrfMatches(null, token));
  assert.ok(!csrfMatches("", ""), "a state nobody set never matches");
});

Deno.test("verifyCsrf takes the form field, else the header; 403 csrf_failed otherwise", () => {
  const state = { csrfToken: csrfTokenFor(key, { session }) };
  const form = (csrf?: string) => {
    const data = new FormData();
    if (csrf !== undefined) data.set("csrf", csrf);
    return data;
  };
  const request = (header?: string) =>
    new Request("http://x/", {
      method: "POST",
      headers: header ? { "X-CSRF-Token": header } : {},
    });
  verifyCsrf(request(), form(state.csrfToken), state);
  verifyCsrf(request(state.csrfToken), null, state);
  verifyCsrf(request(state.csrfToken), form(), state);
  for (
    const [req, data] of [
      [request(), form()],
      [request(), null],
      [request(), form("wrong")],
      [request(state.csrfToken), form("wrong")],
    ] as const
  ) {
    assert.throws(
      () => verifyCsrf(req, data, state),
      (error: { status?: number; code?: string }) =>
        error.status === 403 && error.code === "csrf_failed",
    );
  }
});
