import assert from "node:assert/strict";
import { AAPL } from "../../tests/support/fixtures.ts";
import { acceptBars, barProblem } from "./bar_rules.ts";
import type { DailyBar } from "./port.ts";

const stock = AAPL;

const bar = (date: string, changes: Partial<DailyBar> = {}): DailyBar => ({
  date,
  open: 100,
  high: 102,
  low: 99,
  close: 101,
  adjClose: 100.5,
  volume: 1_000,
  ...changes,
});

Deno.test("unsound bars are named with the reason", () => {
  assert.equal(barProblem(bar("2024-01-02")), null);
  assert.equal(barProblem(bar("2024-01-02", { volume: null, adjClose: null })), null);
  assert.equal(barProblem(bar("2024-01-02", { high: 98 })), "high 98 is below low 99");
  assert.equal(barProblem(bar("2024-01-02", { low: 0, open: 0 })), "open 0 is not positive");
  assert.equal(barProblem(bar("2024-01-02", { close: NaN })), "close is not a number");
  assert.equal(
    barProblem(bar("2024-01-02", { close: 103 })),
    "close 103 is outside low 99 – high 102",
  );
  assert.equal(
    barProblem(bar("2024-01-02", { volume: -1 })),
    "volume -1 is not a non-negative number",
  );
  assert.equal(
    barProblem(bar("2024-01-02", { adjClose: 0 })),
    "adjusted close 0 is not a positive number",
  );
  assert.equal(barProblem(bar("2024-1-2")), 'bad date "2024-1-2"');
});

Deno.test("accepted bars: sorted, unclosed days and repeated dates rejected", () => {
  const fetchedAt = new Date("2024-01-04T18:00:00Z"); // 13:00 New York: 4 January still open
  const result = acceptBars(
    [
      { at: 1, bar: bar("2024-01-03") },
      { at: 2, bar: bar("2024-01-02") },
      { at: 3, bar: bar("2024-01-03", { close: 101.5 }) },
      { at: 4, bar: bar("2024-01-04") },
      { at: 5, bar: bar("2024-01-05", { high: 1 }) },
    ],
    stock,
    fetchedAt,
    [{ at: 6, reason: "from the parser" }],
  );
  assert.deepEqual(result.rows.map((row) => [row.date, row.close]), [
    ["2024-01-02", 101],
    ["2024-01-03", 101.5],
  ]);
  assert.deepEqual(result.rejected, [
    { at: 1, reason: "2024-01-03 repeated: entry 3 replaces it" },
    { at: 4, reason: "2024-01-04 had not closed when fetched (closes 2024-01-04T21:00:00.000Z)" },
    { at: 5, reason: "high 1 is below low 99" },
    { at: 6, reason: "from the parser" },
  ]);
});
