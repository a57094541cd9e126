import assert from "node:assert/strict";
import { passwordProblem } from "./password_policy.ts";

Deno.test("passwords: 12 to 256 characters, not the email address", () => {
  assert.equal(passwordProblem("twelve chars", "ada@example.com"), null);
  assert.match(passwordProblem("eleven char", "ada@example.com") ?? "", /at least 12/);
  assert.equal(passwordProblem("x".repeat(256), "ada@example.com"), null);
  assert.match(passwordProblem("x".repeat(257), "ada@example.com") ?? "", /at most 256/);
  assert.match(passwordProblem("Ada@Example.com", "ada@example.com") ?? "", /not be the email/);
  // Characters as people count them: eleven emoji are not 22 characters.
  assert.match(passwordProblem("🔑".repeat(11), "ada@example.com") ?? "", /at least 12/);
});
