import assert from "node:assert/strict";
import { formatSize } from "./report.ts";

Deno.test("formatSize", () => {
  assert.equal(formatSize(0), "0 bytes");
  assert.equal(formatSize(1023), "1023 bytes");
  assert.equal(formatSize(1536), "1.5 KiB");
  assert.equal(formatSize(5 * 1024 ** 3), "5.0 GiB");
});
