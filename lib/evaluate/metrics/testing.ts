// Shared by the metrics tests only: a scored prediction with defaults, and a tolerant compare.
import assert from "node:assert/strict";
import type { ScoredPrediction } from "../types.ts";

/** An "up" call at 0.5 on stock 1 as of 2024-01-02 21:00 UTC, exiting the next day; then `fields`. */
export function scored(fields: Partial<ScoredPrediction> = {}): ScoredPrediction {
  return {
    id: 1,
    modelId: 1,
    stockId: 1,
    asOf: new Date("2024-01-02T21:00:00Z"),
    horizon: 1,
    direction: "up",
    confidence: 0.5,
    realizedReturn: 0,
    result: "flat",
    exitDate: "2024-01-03",
    indexReturn: null,
    ...fields,
  };
}

/** Equal within `tolerance` relative to max(1, |expected|); nulls must match exactly. */
export function assertClose(
  actual: number | null | undefined,
  expected: number | null,
  message = "",
  tolerance = 1e-12,
): void {
  if (expected === null || actual === null || actual === undefined) {
    assert.equal(actual, expected, message);
    return;
  }
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance * scale,
    `${message}: ${actual} ≠ ${expected} (±${tolerance})`,
  );
}
