import assert from "node:assert/strict";
import { formatCount, progressLine, rowsPerSecond } from "./progress.ts";

Deno.test("progressLine: bar with a known size, counts always", () => {
  assert.equal(
    progressLine({ rows: 23_147, bytes: 40, totalBytes: 100, elapsedMs: 2_000 }, 10),
    "[####------]  40%  23,147 rows  11,574 rows/s",
  );
  assert.equal(
    progressLine({ rows: 5, bytes: 120, totalBytes: 100, elapsedMs: 0 }, 4),
    "[####] 100%  5 rows  0 rows/s",
  );
  assert.equal(
    progressLine({ rows: 1_000, bytes: 10, totalBytes: null, elapsedMs: 500 }),
    "1,000 rows  2,000 rows/s",
  );
});

Deno.test("rowsPerSecond and formatCount", () => {
  assert.equal(rowsPerSecond(3, 1_500), 2);
  assert.equal(rowsPerSecond(3, 0), 0);
  assert.equal(formatCount(1234567), "1,234,567");
});
