import assert from "node:assert/strict";
import type { Direction } from "../predict/types.ts";
import { callChanges, callMarkers } from "./call_changes.ts";

const day = (n: number) => new Date(Date.UTC(2024, 2, n, 21));
const call = (n: number, direction: Direction) => ({ asOf: day(n), direction });

Deno.test("callChanges: the first call and each turn; flat is no signal, but breaks a run", () => {
  const calls = [
    call(1, "up"),
    call(2, "up"),
    call(3, "down"),
    call(4, "flat"),
    call(5, "down"),
    call(6, "down"),
    call(7, "up"),
  ];
  assert.deepEqual(callChanges(calls).map((c) => [c.asOf.getUTCDate(), c.direction]), [
    [1, "up"],
    [3, "down"],
    [5, "down"],
    [7, "up"],
  ]);
  assert.deepEqual(callChanges([call(1, "flat"), call(2, "flat")]), []);
});

Deno.test("callMarkers: a call marks the bar it was made at the close of", () => {
  const closes = [day(1), day(4), day(5)];
  const markers = callMarkers(
    closes,
    callChanges([call(1, "up"), call(3, "down"), call(5, "up")]),
    (c) => `${c.direction} ${c.asOf.getUTCDate()}`,
  );
  assert.deepEqual(markers, [
    { index: 0, direction: "up", label: "up 1" },
    { index: 2, direction: "up", label: "up 5" },
  ], "the call as of day 3 has no bar on the chart");
});
