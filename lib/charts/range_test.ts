import assert from "node:assert/strict";
import { describeRange, dragRange, presetRange, usefulPresets } from "./range.ts";

Deno.test("presetRange: the last points of the chart, or all of it", () => {
  assert.deepEqual(presetRange(252, "1m"), { start: 231, end: 251 });
  assert.deepEqual(presetRange(252, "6m"), { start: 126, end: 251 });
  assert.deepEqual(presetRange(252, "all"), { start: 0, end: 251 });
  assert.deepEqual(presetRange(10, "3m"), { start: 0, end: 9 }, "fewer points than the preset");
});

Deno.test("usefulPresets: only ranges shorter than the chart, and All", () => {
  assert.deepEqual(usefulPresets(252).map((p) => p.id), ["1m", "3m", "6m", "all"]);
  assert.deepEqual(usefulPresets(40).map((p) => p.id), ["1m", "all"]);
  assert.deepEqual(usefulPresets(5).map((p) => p.id), ["all"]);
});

Deno.test("dragRange: either direction, clamped, and a click is no range", () => {
  assert.deepEqual(dragRange(30.4, 10.6, 100), { start: 11, end: 30 });
  assert.deepEqual(dragRange(-5, 500, 100), { start: 0, end: 99 });
  assert.equal(dragRange(12.2, 11.8, 100), null);
});

Deno.test("describeRange: the dates and the first series' first and last value shown", () => {
  const dates = ["2024-03-01", "2024-03-04", "2024-03-05", "2024-03-06"];
  const close = { label: "close", values: [null, 101.5, null, 99] };
  const price = (value: number) => value.toFixed(2);
  assert.equal(
    describeRange(dates, close, { start: 0, end: 3 }, price),
    "2024-03-01 to 2024-03-06: close from 101.50 to 99.00.",
  );
  assert.equal(
    describeRange(dates, close, { start: 2, end: 2 }, price),
    "2024-03-05 to 2024-03-05.",
  );
});
