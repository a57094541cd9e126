import assert from "node:assert/strict";
import { loginPath, safeNextPath } from "./next_path.ts";

Deno.test("only paths on this site are followed after signing in", () => {
  for (const ok of ["/", "/stocks?q=apple", "/admin/models/3#prompt", "/a//b"]) {
    assert.equal(safeNextPath(ok), ok);
  }
  for (
    const bad of [
      null,
      "",
      "stocks",
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "javascript:alert(1)",
      `/${"x".repeat(2_001)}`,
    ]
  ) {
    assert.equal(safeNextPath(bad), null, JSON.stringify(bad));
  }
});

Deno.test("the sign-in page comes back to where the visitor was", () => {
  assert.equal(loginPath("/"), "/login");
  assert.equal(loginPath("/admin/models?x=1"), "/login?next=%2Fadmin%2Fmodels%3Fx%3D1");
});
