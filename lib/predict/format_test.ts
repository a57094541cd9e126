import assert from "node:assert/strict";
import { count, percent, signed, signedPercent } from "./format.ts";

Deno.test("format: signs, and no sign on what rounds to zero", () => {
  assert.equal(signedPercent(0.041), "+4.1%");
  assert.equal(signedPercent(-0.0213), "-2.1%");
  assert.equal(signedPercent(-0.0004), "0.0%");
  assert.equal(signedPercent(0.00499, 2), "+0.50%");
  assert.equal(percent(0.2312), "23%");
  assert.equal(percent(0.002, 1), "0.2%");
  assert.equal(signed(0.318), "+0.32");
  assert.equal(signed(-0.001), "0.00");
  assert.equal(signed(0), "0.00");
});

Deno.test("format: a count with its noun", () => {
  assert.equal(count(1, "headline"), "1 headline");
  assert.equal(count(0, "headline"), "0 headlines");
  assert.equal(count(3, "headline"), "3 headlines");
});
