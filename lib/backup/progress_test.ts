import assert from "node:assert/strict";
import { tableProgress } from "./progress.ts";

Deno.test("table progress is quiet for a second, then a line a second, then a closing line", () => {
  let now = 0;
  const lines: string[] = [];
  const progress = tableProgress(
    (line) => lines.push(line),
    "restore prediction",
    4_000,
    () => now,
  );
  now = 500;
  progress.add(1_000);
  assert.deepEqual(lines, []);
  now = 1_000;
  progress.add(1_000);
  now = 1_500;
  progress.add(1_000);
  now = 2_000;
  progress.add(1_000);
  progress.done();
  assert.deepEqual(lines, [
    "restore prediction: [############------------]  50%  2,000 rows  2,000 rows/s",
    "restore prediction: [########################] 100%  4,000 rows  2,000 rows/s",
    "restore prediction: done, 4,000 rows",
  ]);

  const quiet: string[] = [];
  const small = tableProgress((line) => quiet.push(line), "backup stock", undefined, () => 0);
  small.add(10);
  small.done();
  assert.deepEqual(quiet, []);
});
