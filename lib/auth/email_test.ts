import assert from "node:assert/strict";
import { normalizeEmail } from "./email.ts";

Deno.test("emails are trimmed and lower-cased; anything printable around one @ is kept", () => {
  assert.equal(normalizeEmail("  Ada@Example.COM "), "ada@example.com");
  assert.equal(normalizeEmail("o'brien+x@example.com"), "o'brien+x@example.com");
  assert.equal(
    normalizeEmail("<script>alert(1)</script>@example.com"),
    "<script>alert(1)</script>@example.com",
  );
  for (const bad of ["", "ada", "@example.com", "ada@", "a@b@c", "a b@c.d", "a\u0000@b.c"]) {
    assert.equal(normalizeEmail(bad), null, JSON.stringify(bad));
  }
  assert.equal(normalizeEmail(`${"a".repeat(250)}@b.cd`), null, "over 254 characters");
});
