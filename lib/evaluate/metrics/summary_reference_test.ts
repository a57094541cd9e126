// summarize and comparePaired against an independent implementation: fixtures/reference.py
// (numpy + scipy) computed reference_output.json from reference_input.json; this test only reads
// the committed files. Every number must agree to 1e-9 (relative above 1). The bootstrap interval
// is checked twice: exactly against the Python replaying the same draws (its port of
// lib/market/random.ts), and loosely — within a tenth of the interval's width — against numpy's own
// generator with 20,000 resamples, which checks the method rather than the arithmetic.
import assert from "node:assert/strict";
import type { ScoredPrediction } from "../types.ts";
import { comparePaired, summarize, type SummaryOptions } from "./summary.ts";
import { assertClose } from "./testing.ts";

const TOLERANCE = 1e-9;

type Stored = Omit<ScoredPrediction, "asOf"> & { asOf: string };

interface ReferenceInput {
  summaryA: SummaryOptions;
  summaryB: SummaryOptions;
  paired: { resamples: number; seed: number };
  a: Stored[];
  b: Stored[];
}

async function readFixture<T>(name: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(new URL(`../fixtures/${name}`, import.meta.url)));
}

const input = await readFixture<ReferenceInput>("reference_input.json");
const output = await readFixture<Record<string, Record<string, unknown>>>(
  "reference_output.json",
);
const toScored = (stored: Stored): ScoredPrediction => ({
  ...stored,
  asOf: new Date(stored.asOf),
});
const a = input.a.map(toScored);
const b = input.b.map(toScored);

/** Walks both values together: numbers within tolerance, everything else equal, same keys. */
function assertMatches(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", path);
    assertClose(actual as number, expected, path, TOLERANCE);
  } else if (expected !== null && typeof expected === "object") {
    assert.ok(actual !== null && typeof actual === "object", `${path} is not an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path} keys`);
    for (const [key, value] of Object.entries(expected)) {
      assertMatches((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    assert.equal(actual, expected, path);
  }
}

Deno.test("reference: the fixture is the intended size (~300 predictions, 8 stocks, 40 days)", () => {
  assert.ok(a.length > 250 && b.length > 250, `${a.length} and ${b.length} predictions`);
  assert.equal(new Set(a.map((p) => p.stockId)).size, 8);
  assert.equal(new Set(a.map((p) => p.asOf.toISOString().slice(0, 10))).size, 40);
});

Deno.test("reference: summarize(A) with a flat threshold matches numpy/scipy to 1e-9", () => {
  assertMatches(summarize(a, input.summaryA), output.summaryA, "summaryA");
});

Deno.test("reference: summarize(B) on its stored results, 7 buckets, matches to 1e-9", () => {
  assertMatches(summarize(b, input.summaryB), output.summaryB, "summaryB");
});

Deno.test("reference: comparePaired(A, B) — McNemar, mean difference and replayed bootstrap", () => {
  const { independentLow, independentHigh, ...replayed } = output.paired as Record<
    string,
    number
  >;
  const comparison = comparePaired(a, b, input.paired);
  assertMatches(comparison, replayed, "paired");
  const width = independentHigh - independentLow;
  assert.ok(
    Math.abs(comparison.differenceLow! - independentLow) < width / 10 &&
      Math.abs(comparison.differenceHigh! - independentHigh) < width / 10,
    `[${comparison.differenceLow}, ${comparison.differenceHigh}] vs numpy's ` +
      `[${independentLow}, ${independentHigh}]`,
  );
});
