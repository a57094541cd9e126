import assert from "node:assert/strict";
import { Registry } from "./metrics.ts";

Deno.test("a counter with labels renders HELP, TYPE and one line per label set", () => {
  const registry = new Registry();
  const requests = registry.counter({
    name: "http_requests_total",
    help: "HTTP requests answered.",
    labelNames: ["method", "status"],
  });
  requests.inc({ method: "GET", status: 200 });
  requests.inc({ method: "GET", status: 200 }, 2);
  requests.inc({ method: "POST", status: "500" });
  assert.equal(requests.get({ method: "GET", status: 200 }), 3);
  assert.equal(
    registry.metrics(),
    [
      "# HELP http_requests_total HTTP requests answered.",
      "# TYPE http_requests_total counter",
      'http_requests_total{method="GET",status="200"} 3',
      'http_requests_total{method="POST",status="500"} 1',
      "",
    ].join("\n"),
  );
});

Deno.test("label values and help text are escaped", () => {
  const registry = new Registry();
  const gauge = registry.gauge({
    name: "odd",
    help: "back\\slash and\nnewline",
    labelNames: ["value"],
  });
  gauge.set({ value: 'quote " back\\slash \n newline' }, 1);
  const text = registry.metrics();
  assert.match(text, /^# HELP odd back\\\\slash and\\nnewline$/m);
  assert.ok(text.includes('odd{value="quote \\" back\\\\slash \\n newline"} 1'), text);
});

Deno.test("an unlabelled gauge goes up and down; special values render as Prometheus spells them", () => {
  const registry = new Registry();
  const gauge = registry.gauge({ name: "queue_depth", help: "Items waiting." });
  gauge.inc();
  gauge.inc(undefined, 4);
  gauge.dec();
  assert.equal(gauge.get(), 4);
  assert.match(registry.metrics(), /^queue_depth 4$/m);
  gauge.set(undefined, Infinity);
  assert.match(registry.metrics(), /^queue_depth \+Inf$/m);
  gauge.set(undefined, -Infinity);
  assert.match(registry.metrics(), /^queue_depth -Inf$/m);
  gauge.set(undefined, NaN);
  assert.match(registry.metrics(), /^queue_depth NaN$/m);
});

Deno.test("a histogram renders cumulative buckets, +Inf, _sum and _count", () => {
  const registry = new Registry();
  const latency = registry.histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer.",
    labelNames: ["route"],
    buckets: [0.1, 0.5, 1],
  });
  for (const value of [0.05, 0.1, 0.3, 0.7, 3]) latency.observe({ route: "/api" }, value);
  assert.deepEqual(latency.get({ route: "/api" }), { count: 5, sum: 4.15 });
  assert.equal(
    registry.metrics(),
    [
      "# HELP http_request_duration_seconds Time to answer.",
      "# TYPE http_request_duration_seconds histogram",
      'http_request_duration_seconds_bucket{route="/api",le="0.1"} 2',
      'http_request_duration_seconds_bucket{route="/api",le="0.5"} 3',
      'http_request_duration_seconds_bucket{route="/api",le="1"} 4',
      'http_request_duration_seconds_bucket{route="/api",le="+Inf"} 5',
      'http_request_duration_seconds_sum{route="/api"} 4.15',
      'http_request_duration_seconds_count{route="/api"} 5',
      "",
    ].join("\n"),
  );
});

Deno.test("an unlabelled histogram with default buckets", () => {
  const registry = new Registry();
  const histogram = registry.histogram({ name: "job_seconds", help: "Job duration." });
  histogram.observe(undefined, 42);
  const text = registry.metrics();
  assert.match(text, /^job_seconds_bucket\{le="0.005"\} 0$/m);
  assert.match(text, /^job_seconds_bucket\{le="10"\} 0$/m);
  assert.match(text, /^job_seconds_bucket\{le="\+Inf"\} 1$/m);
  assert.match(text, /^job_seconds_sum 42$/m);
  assert.match(text, /^job_seconds_count 1$/m);
});

Deno.test("several metrics render in registration order, each with its own HELP and TYPE", () => {
  const registry = new Registry();
  registry.counter({ name: "a_total", help: "A." }).inc();
  registry.gauge({ name: "b", help: "B." }).set(undefined, 2);
  const types = registry.metrics().split("\n").filter((line) => line.startsWith("# TYPE"));
  assert.deepEqual(types, ["# TYPE a_total counter", "# TYPE b gauge"]);
});

Deno.test("collectors refresh gauges right before exposition", () => {
  const registry = new Registry();
  const up = registry.gauge({ name: "cache_up", help: "1 when the cache answers." });
  let healthy = false;
  registry.onCollect(() => up.set(undefined, healthy ? 1 : 0));
  assert.match(registry.metrics(), /^cache_up 0$/m);
  healthy = true;
  assert.match(registry.metrics(), /^cache_up 1$/m);
});

Deno.test("invalid definitions and uses are refused", () => {
  const registry = new Registry();
  registry.counter({ name: "taken_total", help: "x" });
  assert.throws(() => registry.counter({ name: "taken_total", help: "x" }), /already registered/);
  assert.throws(() => registry.counter({ name: "bad-name", help: "x" }), /invalid metric name/);
  assert.throws(
    () => registry.counter({ name: "c_total", help: "x", labelNames: ["__reserved"] }),
    /invalid label name/,
  );
  assert.throws(
    () => registry.histogram({ name: "h", help: "x", labelNames: ["le"] }),
    /invalid label name/,
  );
  assert.throws(
    () => registry.histogram({ name: "h2", help: "x", buckets: [1, 1] }),
    /strictly increasing/,
  );
  const counter = registry.counter({ name: "d_total", help: "x", labelNames: ["route"] });
  assert.throws(() => counter.inc({ route: "/" }, -1), /only goes up/);
  assert.throws(() => counter.inc(), /missing label route/);
});

Deno.test("totals counted elsewhere: a counter set to a total, a histogram set from bucket counts", () => {
  const registry = new Registry();
  const tokens = registry.counter({ name: "tokens_total", help: "x", labelNames: ["model"] });
  tokens.set({ model: "a" }, 120);
  tokens.set({ model: "a" }, 150);
  assert.throws(() => tokens.set({ model: "a" }, -1), /never negative/);
  const runs = registry.histogram({ name: "run_seconds", help: "x", buckets: [1, 10] });
  runs.setCounts(undefined, [2, 0, 1], 42.5);
  assert.deepEqual(runs.get(), { count: 3, sum: 42.5 });
  assert.throws(() => runs.setCounts(undefined, [1, 1], 2), /expected 3 bucket counts/);
  assert.throws(() => runs.setCounts(undefined, [1, -1, 0], 2), /expected 3 bucket counts/);
  assert.equal(
    registry.metrics(),
    [
      "# HELP tokens_total x",
      "# TYPE tokens_total counter",
      'tokens_total{model="a"} 150',
      "# HELP run_seconds x",
      "# TYPE run_seconds histogram",
      'run_seconds_bucket{le="1"} 2',
      'run_seconds_bucket{le="10"} 2',
      'run_seconds_bucket{le="+Inf"} 3',
      "run_seconds_sum 42.5",
      "run_seconds_count 3",
      "",
    ].join("\n"),
  );
});

Deno.test("scrape() awaits the asynchronous sources before rendering; metrics() does not", async () => {
  const registry = new Registry();
  const rows = registry.gauge({ name: "rows", help: "Rows in a table." });
  let stored = 7;
  registry.onScrape(async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    rows.set(undefined, stored);
  });
  assert.doesNotMatch(registry.metrics(), /^rows /m);
  assert.match(await registry.scrape(), /^rows 7$/m);
  stored = 8;
  assert.match(await registry.scrape(), /^rows 8$/m);
});
