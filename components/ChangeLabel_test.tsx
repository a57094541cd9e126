import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { ChangeLabel } from "./ChangeLabel.tsx";

Deno.test("ChangeLabel: direction in words and class, magnitude to two decimals", () => {
  const label = (from: number, to: number) => renderToString(<ChangeLabel from={from} to={to} />);
  assert.equal(
    label(128, 129),
    '<span class="change-up"><span class="visually-hidden">up</span>0.78%</span>',
  );
  assert.equal(
    label(400, 390),
    '<span class="change-down"><span class="visually-hidden">down</span>2.50%</span>',
  );
  assert.equal(
    label(50, 50),
    '<span class="change-flat"><span class="visually-hidden">flat</span>0.00%</span>',
  );
});

Deno.test("ChangeLabel: a return given as a fraction reads the same", () => {
  assert.equal(
    renderToString(<ChangeLabel change={-0.025} />),
    renderToString(<ChangeLabel from={400} to={390} />),
  );
  assert.equal(
    renderToString(<ChangeLabel change={0.0123} />),
    '<span class="change-up"><span class="visually-hidden">up</span>1.23%</span>',
  );
});
