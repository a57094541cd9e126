import assert from "node:assert/strict";
import { averageRanks, informationCoefficient, spearman } from "./rank.ts";
import { assertClose, scored } from "./testing.ts";

Deno.test("averageRanks: ties share the average of the ranks they span", () => {
  // 5 → 1; 10 → 2; the two 20s span ranks 3 and 4 → 3.5 each.
  assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  assert.deepEqual(averageRanks([7, 7, 7]), [2, 2, 2]);
  assert.deepEqual(averageRanks([]), []);
});

Deno.test("spearman: monotone is ±1 whatever the spacing", () => {
  assertClose(spearman([1, 2, 3, 4], [1, 10, 100, 1000]), 1);
  assertClose(spearman([1, 2, 3, 4], [0.4, 0.3, 0.2, -5]), -1);
});

Deno.test("spearman with ties: ranks 1, 2.5, 2.5, 4 vs 1…4 → 4.5 / √(4.5 × 5) = 3/√10", () => {
  // Deviations from 2.5: x −1.5, 0, 0, 1.5; y −1.5, −0.5, 0.5, 1.5. Σxy 4.5, Σx² 4.5, Σy² 5.
  assertClose(spearman([1, 2, 2, 3], [1, 2, 3, 4]), 3 / Math.sqrt(10));
});

Deno.test("spearman: a constant side has no correlation", () => {
  assert.equal(spearman([1, 1, 1], [1, 2, 3]), null);
  assert.equal(spearman([1, 2, 3], [0, 0, 0]), null);
  assert.throws(() => spearman([1, 2], [1]), RangeError);
});

function at(iso: string) {
  return new Date(iso);
}

Deno.test("informationCoefficient: per UTC as-of day, ≥ 3 predictions, then mean, std and IR", () => {
  const predictions = [
    // 2024-01-02: signed 0.9, −0.6, 0 vs returns 0.02, −0.01, 0.005: same order → IC 1.
    scored({ direction: "up", confidence: 0.9, realizedReturn: 0.02 }),
    scored({ direction: "down", confidence: 0.6, realizedReturn: -0.01 }),
    scored({ direction: "flat", confidence: 0.8, realizedReturn: 0.005 }),
    // 2024-01-03 (23:59 UTC is still that day): signed 0.5, 0.7, 0.9 (ranks 1, 2, 3) vs returns
    // ranked 1, 3, 2 → d² = 0 + 1 + 1 = 2 → 1 − 6·2 / (3·8) = 0.5.
    scored({ asOf: at("2024-01-03T21:00:00Z"), confidence: 0.5, realizedReturn: 0.01 }),
    scored({ asOf: at("2024-01-03T23:59:00Z"), confidence: 0.7, realizedReturn: 0.03 }),
    scored({ asOf: at("2024-01-03T21:00:00Z"), confidence: 0.9, realizedReturn: 0.02 }),
    // 2024-01-04 (from 00:01 UTC): two predictions only → skipped.
    scored({ asOf: at("2024-01-04T00:01:00Z"), confidence: 0.6, realizedReturn: 0.01 }),
    scored({ asOf: at("2024-01-04T21:00:00Z"), confidence: 0.7, realizedReturn: 0.02 }),
    // 2024-01-05: every call flat, signed confidence constant → skipped.
    ...[0.01, 0.02, 0.03].map((realizedReturn) =>
      scored({ asOf: at("2024-01-05T21:00:00Z"), direction: "flat", realizedReturn })
    ),
  ];
  // ICs 1 and 0.5: mean 0.75, std √((0.25² + 0.25²) / 1) = √0.125, IR 0.75 / √0.125 = 3/√2.
  const ic = informationCoefficient(predictions);
  assert.equal(ic.days, 2);
  assertClose(ic.mean, 0.75);
  assertClose(ic.std, Math.sqrt(0.125));
  assertClose(ic.ir, 3 / Math.sqrt(2));
});

Deno.test("informationCoefficient: one day has a mean but no std or IR; none has nothing", () => {
  const oneDay = informationCoefficient([
    scored({ confidence: 0.9, realizedReturn: 0.03 }),
    scored({ confidence: 0.6, realizedReturn: 0.02 }),
    scored({ confidence: 0.3, realizedReturn: 0.01 }),
  ]);
  assert.deepEqual(oneDay, { mean: 1, std: null, ir: null, days: 1 });
  assert.deepEqual(informationCoefficient([]), { mean: null, std: null, ir: null, days: 0 });
});

Deno.test("informationCoefficient: identical daily ICs have std 0 and no IR", () => {
  const days = ["2024-01-02", "2024-01-03"].flatMap((date) =>
    [0.3, 0.6, 0.9].map((confidence) =>
      scored({ asOf: at(`${date}T21:00:00Z`), confidence, realizedReturn: confidence / 10 })
    )
  );
  assert.deepEqual(informationCoefficient(days), { mean: 1, std: 0, ir: null, days: 2 });
});
