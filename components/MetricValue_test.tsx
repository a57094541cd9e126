import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { IntervalLabel } from "./IntervalLabel.tsx";
import { formatMetric, MetricValue } from "./MetricValue.tsx";

Deno.test("formatMetric: one format per kind, a real minus sign, never −0", () => {
  assert.equal(formatMetric(0.5449, "rate"), "54%");
  assert.equal(formatMetric(0.1234, "percent"), "12.34%");
  assert.equal(formatMetric(0.0123, "return"), "+1.23%");
  assert.equal(formatMetric(-0.0123, "return"), "−1.23%");
  assert.equal(formatMetric(-0.00001, "return"), "0.00%");
  assert.equal(formatMetric(1.349, "ratio"), "+1.35");
  assert.equal(formatMetric(-0.5, "ratio"), "−0.50");
  assert.equal(formatMetric(0.2154, "score"), "0.215");
  assert.equal(formatMetric(-0.1, "score"), "−0.100");
  assert.equal(formatMetric(0.0321, "pValue"), "0.032");
  assert.equal(formatMetric(0.0004, "pValue"), "< 0.001");
  assert.equal(formatMetric(12345, "count"), "12,345");
});

Deno.test("MetricValue: no value is a dash said as 'no data'; a value may link", () => {
  assert.equal(
    renderToString(<MetricValue value={null} kind="rate" href="/x" />),
    '<span class="no-data" title="no data"><span aria-hidden="true">—</span><span class="visually-hidden">no data</span></span>',
  );
  assert.equal(renderToString(<MetricValue value={0.02} kind="return" />), "+2.00%");
  assert.equal(
    renderToString(<MetricValue value={3} kind="count" href="/predictions?model=a&mode=live" />),
    '<a href="/predictions?model=a&amp;mode=live">3</a>',
  );
});

Deno.test("IntervalLabel: the rate and its interval as one phrase", () => {
  assert.equal(
    renderToString(<IntervalLabel interval={{ value: 0.54, low: 0.509, high: 0.571 }} />),
    '<span class="interval" title="with its Wilson 95% interval">54% (51–57%)</span>',
  );
  assert.match(renderToString(<IntervalLabel interval={null} />), /no data/);
});
