import assert from "node:assert/strict";
import { type LiveSignal, parseLiveSignal, prependSignals } from "./signal.ts";

const signal = (id: number): LiveSignal => ({
  id,
  model: "momentum",
  symbol: "AAPL",
  asOf: "2024-03-04T21:00:00.000Z",
  horizon: 5,
  direction: "up",
  confidence: 0.7,
});

Deno.test("parseLiveSignal: a well-formed event, or null", () => {
  assert.deepEqual(parseLiveSignal(JSON.stringify(signal(3))), signal(3));
  for (
    const bad of [
      "not json",
      "null",
      "[]",
      JSON.stringify({ ...signal(1), id: "1" }),
      JSON.stringify({ ...signal(1), direction: "sideways" }),
      JSON.stringify({ ...signal(1), asOf: "yesterday" }),
      JSON.stringify({ ...signal(1), confidence: undefined }),
    ]
  ) {
    assert.equal(parseLiveSignal(bad), null, bad);
  }
});

Deno.test("prependSignals: arrivals on top, newest first, no repeats, capped", () => {
  const list = [signal(5), signal(4)];
  assert.deepEqual(
    prependSignals(list, [signal(6), signal(7)], 10).map((s) => s.id),
    [7, 6, 5, 4],
  );
  assert.deepEqual(prependSignals(list, [signal(5), signal(8)], 10).map((s) => s.id), [8, 5, 4]);
  assert.deepEqual(prependSignals(list, [signal(6), signal(7)], 3).map((s) => s.id), [7, 6, 5]);
});
