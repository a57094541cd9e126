import assert from "node:assert/strict";
import { type AbVariant, assignVariant, variantsProblems } from "./ab_assign.ts";

const KEYS = Array.from({ length: 10_000 }, (_, i) => `STOCK${i}`);

function variants(...weights: number[]): AbVariant[] {
  return weights.map((weight, i) => ({
    name: String.fromCharCode(65 + i),
    modelId: i + 1,
    weight,
  }));
}

function names(experimentId: number, list: AbVariant[]): string[] {
  return KEYS.map((key) => assignVariant(experimentId, key, list).name);
}

/**
 * Pearson's chi-square statistic of observed counts per variant against the weights' shares.
 * Critical values at α = 0.001: 10.83 for 1 degree of freedom, 13.82 for 2.
 */
function chiSquare(assigned: string[], list: AbVariant[]): number {
  const total = list.reduce((sum, variant) => sum + variant.weight, 0);
  return list.reduce((sum, variant) => {
    const expected = (assigned.length * variant.weight) / total;
    const observed = assigned.filter((name) => name === variant.name).length;
    return sum + (observed - expected) ** 2 / expected;
  }, 0);
}

Deno.test("assignment is deterministic and pinned: a changed hash would reshuffle experiments", () => {
  const half = variants(1, 1);
  assert.deepEqual(names(7, half), names(7, half));
  // Points from the first 53 bits of SHA-256("1:KEY"), computed apart with Python's hashlib:
  // AAPL 0.0062, NVDA 0.3735, 005930.KS 0.8896. A changed hash or mapping fails here.
  assert.deepEqual(
    ["AAPL", "NVDA", "005930.KS"].map((key) => assignVariant(1, key, variants(1, 1, 1))),
    [{ name: "A", modelId: 1 }, { name: "B", modelId: 2 }, { name: "C", modelId: 3 }],
  );
});

Deno.test("experiments spread keys independently of each other", () => {
  const half = variants(1, 1);
  const first = names(1, half);
  const second = names(2, half);
  const same = first.filter((name, i) => name === second[i]).length;
  // Independent fair coins agree on about half the keys (sd 50 for 10,000).
  assert.ok(Math.abs(same - 5_000) < 250, `${same} of 10,000 agree`);
});

Deno.test("the split matches the weights within a chi-square bound (α = 0.001)", () => {
  const cases: [AbVariant[], number][] = [
    [variants(0.5, 0.5), 10.83],
    [variants(0.2, 0.8), 10.83],
    [variants(1, 2, 1), 13.82],
  ];
  for (const [list, critical] of cases) {
    const statistic = chiSquare(names(3, list), list);
    assert.ok(statistic < critical, `weights ${list.map((v) => v.weight)}: χ² = ${statistic}`);
  }
});

Deno.test("weights are relative: 1/4 assigns exactly like 0.2/0.8", () => {
  assert.deepEqual(names(5, variants(1, 4)), names(5, variants(0.2, 0.8)));
});

Deno.test("changing two variants' weights moves keys one way only, across the moved boundary", () => {
  const before = names(4, variants(0.5, 0.5));
  const after = names(4, variants(0.2, 0.8));
  const moved = before.filter((name, i) => name !== after[i]);
  assert.ok(moved.every((name) => name === "A"), "only A → B");
  // The keys between 0.2 and 0.5: 30% of them.
  assert.ok(Math.abs(moved.length - 3_000) < 230, `${moved.length} moved`);
  // Unchanged weights: nobody moves.
  assert.deepEqual(names(4, variants(0.5, 0.5)), before);
});

Deno.test("appending a variant moves keys only to later variants, and some of every old one", () => {
  const before = names(6, variants(1, 1));
  const after = names(6, variants(1, 1, 1));
  const order = (name: string) => name.charCodeAt(0);
  assert.ok(before.every((name, i) => order(after[i]) >= order(name)), "never earlier");
  // A keeps the keys below 1/3 of its old half: about two thirds of them.
  const aKept = before.filter((name, i) => name === "A" && after[i] === "A").length;
  const aBefore = before.filter((name) => name === "A").length;
  assert.ok(Math.abs(aKept / aBefore - 2 / 3) < 0.03, `A kept ${aKept} of ${aBefore}`);
  assert.ok(before.some((name, i) => name === "B" && after[i] === "C"), "B loses keys to C");
});

Deno.test("variantsProblems: at least two, unique names, positive finite weights, integer ids", () => {
  assert.deepEqual(variantsProblems(variants(0.5, 0.5)), []);
  assert.deepEqual(variantsProblems(variants(1)), ["at least 2 variants are needed, got 1"]);
  assert.deepEqual(variantsProblems([]), ["at least 2 variants are needed, got 0"]);
  for (const weight of [0, -0.5, Number.NaN, Infinity]) {
    assert.deepEqual(variantsProblems(variants(1, weight)), [
      `variant 2: weight must be a positive finite number, got ${weight}`,
    ]);
  }
  assert.deepEqual(
    variantsProblems([
      { name: "A", modelId: 1, weight: 1 },
      { name: "A", modelId: 1.5, weight: 1 },
      { name: " ", modelId: 0, weight: 1 },
    ]),
    [
      'variant 2: duplicate name "A"',
      "variant 2: modelId must be a positive integer, got 1.5",
      "variant 3: name must not be empty",
      "variant 3: modelId must be a positive integer, got 0",
    ],
  );
});

Deno.test("assignVariant refuses variants with problems", () => {
  assert.throws(
    () => assignVariant(1, "AAPL", variants(0.5, 0)),
    new RangeError("A/B variants: variant 2: weight must be a positive finite number, got 0"),
  );
  assert.throws(() => assignVariant(1, "AAPL", variants(1)), RangeError);
});
