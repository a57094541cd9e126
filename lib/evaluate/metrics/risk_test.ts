import assert from "node:assert/strict";
import { maxDrawdown, sharpe, sortino } from "./risk.ts";
import { assertClose } from "./testing.ts";

Deno.test("sharpe: 1% and 3% days → mean 0.02 / std 0.0141421 × √252 = √504", () => {
  // std = √((0.01² + 0.01²) / 1) = 0.01·√2; 0.02 / (0.01·√2) = √2; √2 × √252 = √504 = 22.4499.
  assertClose(sharpe([0.01, 0.03]), Math.sqrt(504));
  assertClose(sharpe([-0.01, -0.03]), -Math.sqrt(504));
});

Deno.test("sharpe: one day or no spread has none", () => {
  assert.equal(sharpe([]), null);
  assert.equal(sharpe([0.01]), null);
  assert.equal(sharpe([0.01, 0.01, 0.01]), null);
});

Deno.test("sortino: mean 0.005 / √((0.01² + 0.02²) / 4) × √252 = √50.4", () => {
  // Days 2%, −1%, 3%, −2%: mean 0.02 / 4 = 0.005; downside √(0.0005 / 4) = √0.000125 = 0.01118;
  // 0.005 / 0.01118 = √0.2; √0.2 × √252 = √50.4 = 7.0993.
  assertClose(sortino([0.02, -0.01, 0.03, -0.02]), Math.sqrt(50.4));
});

Deno.test("sortino: no losing day or a single day has none", () => {
  assert.equal(sortino([0.01, 0.02]), null);
  assert.equal(sortino([0, 0]), null);
  assert.equal(sortino([-0.01]), null);
});

Deno.test("maxDrawdown: equity 1.1, 0.88, 0.924, 1.2012, 1.08108 → worst fall 1.1 → 0.88 = 20%", () => {
  // The later fall 1.2012 → 1.08108 is only 10%.
  assertClose(maxDrawdown([0.1, -0.2, 0.05, 0.3, -0.1]), 0.2);
});

Deno.test("maxDrawdown: the curve starts at 1, so a first-day loss counts; gains only is 0", () => {
  assertClose(maxDrawdown([-0.05, 0.1]), 0.05);
  assert.equal(maxDrawdown([0.01, 0.02]), 0);
  assert.equal(maxDrawdown([]), 0);
});
