import assert from "node:assert/strict";
import { npmToBare } from "./esbuild_imports.ts";

Deno.test("npmToBare: npm: specifiers become bare node_modules names", () => {
  assert.equal(npmToBare("npm:preact@11.2.0"), "preact");
  assert.equal(npmToBare("npm:preact@11.2.0/hooks"), "preact/hooks");
  assert.equal(npmToBare("npm:/preact@11.2.0/"), "preact");
  assert.equal(npmToBare("npm:@preact/signals@2.11.4"), "@preact/signals");
  assert.equal(npmToBare("npm:@preact/signals/utils"), "@preact/signals/utils");
  assert.equal(npmToBare("npm:preact"), "preact");
  assert.equal(npmToBare("preact"), null);
});
