// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format 0.0.4. Pure: no timers, no globals; main.ts owns the one registry.

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type Labels<L extends string> = { readonly [name in L]: string | number };

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds, strictly increasing; +Inf is added. */
  buckets?: readonly number[];
}

/** Seconds; Prometheus client libraries' defaults, fit for HTTP latency. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(pairs: [string, string][]): string {
  if (pairs.length === 0) return "";
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

/** Shared by all metric kinds: validated names and one series per distinct label set. */
abstract class Metric<L extends string, S> {
  abstract readonly type: "counter" | "gauge" | "histogram";
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  protected readonly series = new Map<string, { values: string[]; state: S }>();

  constructor(options: MetricOptions<L>, reserved: readonly string[] = []) {
    if (!METRIC_NAME.test(options.name)) throw new Error(`invalid metric name ${options.name}`);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    const seen = new Set<string>();
    for (const label of this.labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith("__") || reserved.includes(label)) {
        throw new Error(`invalid label name ${label} on ${options.name}`);
      }
      if (seen.has(label)) throw new Error(`duplicate label name ${label} on ${options.name}`);
      seen.add(label);
    }
  }

  protected abstract initial(): S;

  protected state(labels: Labels<L> | undefined): S {
    const values = this.labelNames.map((name) => {
      const value = labels?.[name];
      if (value === undefined) throw new Error(`${this.name}: missing label ${name}`);
      return String(value);
    });
    // JSON of the value list: unambiguous whatever characters label values contain.
    const key = JSON.stringify(values);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { values, state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  protected pairs(values: string[]): [string, string][] {
    return this.labelNames.map((name, i) => [name, values[i]]);
  }

  /** Clears every series (e.g. a gauge recomputed from scratch). */
  reset(): void {
    this.series.clear();
  }

  render(): string {
    const lines = [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
    for (const { values, state } of this.series.values()) {
      lines.push(...this.samples(values, state));
    }
    return lines.join("\n");
  }

  protected abstract samples(values: string[], state: S): string[];
}

export class Counter<L extends string = never> extends Metric<L, { value: number }> {
  readonly type = "counter";

  protected initial() {
    return { value: 0 };
  }

  inc(labels?: Labels<L>, by = 1): void {
    if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up (got ${by})`);
    this.state(labels).value += by;
  }

  get(labels?: Labels<L>): number {
    return this.state(labels).value;
  }

  /** The total as counted elsewhere (e.g. summed in a database) rather than by `inc` here. */
  set(labels: Labels<L> | undefined, total: number): void {
    if (!(total >= 0)) {
      throw new Error(`${this.name}: a counter total is never negative (got ${total})`);
    }
    this.state(labels).value = total;
  }

  protected samples(values: string[], state: { value: number }): string[] {
    return [`${this.name}${formatLabels(this.pairs(values))} ${formatValue(state.value)}`];
  }
}

export class Gauge<L extends string = never> extends Metric<L, { value: number }> {
  readonly type = "gauge";

  protected initial() {
    return { value: 0 };
  }

  set(labels: Labels<L> | undefined, value: number): void {
    this.state(labels).value = value;
  }

  inc(labels?: Labels<L>, by = 1): void {
    this.state(labels).value += by;
  }

  dec(labels?: Labels<L>, by = 1): void {
    this.state(labels).value -= by;
  }

  get(labels?: Labels<L>): number {
    return this.state(labels).value;
  }

  protected samples(values: string[], state: { value: number }): string[] {
    return [`${this.name}${formatLabels(this.pairs(values))} ${formatValue(state.value)}`];
  }
}

interface HistogramState {
  /** Per bucket, not cumulative: summed when rendering. */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram<L extends string = never> extends Metric<L, HistogramState> {
  readonly type = "histogram";
  readonly buckets: readonly number[];

  constructor(options: HistogramOptions<L>) {
    super(options, ["le"]);
    const buckets = [...(options.buckets ?? DEFAULT_BUCKETS)];
    if (buckets.at(-1) === Infinity) buckets.pop();
    for (let i = 0; i < buckets.length; i++) {
      if (!Number.isFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
        throw new Error(`${options.name}: buckets must be finite and strictly increasing`);
      }
    }
    this.buckets = buckets;
  }

  protected initial(): HistogramState {
    return { counts: new Array(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
  }

  observe(labels: Labels<L> | undefined, value: number): void {
    const state = this.state(labels);
    let index = this.buckets.findIndex((bound) => value <= bound);
    if (index === -1) index = this.buckets.length;
    state.counts[index]++;
    state.sum += value;
    state.count++;
  }

  /**
   * Observations counted elsewhere (e.g. grouped in a database): `counts[i]` observations fell in
   * bucket i (at most `buckets[i]` and above the bound before), the last entry above every bound.
   */
  setCounts(labels: Labels<L> | undefined, counts: readonly number[], sum: number): void {
    if (
      counts.length !== this.buckets.length + 1 ||
      !counts.every((n) => Number.isInteger(n) && n >= 0)
    ) {
      throw new Error(`${this.name}: expected ${this.buckets.length + 1} bucket counts`);
    }
    const state = this.state(labels);
    state.counts = [...counts];
    state.count = counts.reduce((total, n) => total + n, 0);
    state.sum = sum;
  }

  /** Count and sum observed for one label set (for tests and summaries). */
  get(labels?: Labels<L>): { count: number; sum: number } {
    const { count, sum } = this.state(labels);
    return { count, sum };
  }

  protected samples(values: string[], state: HistogramState): string[] {
    const pairs = this.pairs(values);
    const lines = [];
    let cumulative = 0;
    const bounds = [...this.buckets, Infinity];
    for (let i = 0; i < bounds.length; i++) {
      cumulative += state.counts[i];
      const labels = formatLabels([...pairs, ["le", formatValue(bounds[i])]]);
      lines.push(`${this.name}_bucket${labels} ${cumulative}`);
    }
    lines.push(`${this.name}_sum${formatLabels(pairs)} ${formatValue(state.sum)}`);
    lines.push(`${this.name}_count${formatLabels(pairs)} ${state.count}`);
    return lines;
  }
}

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

export class Registry {
  readonly #metrics = new Map<string, AnyMetric>();
  readonly #collectors: (() => void)[] = [];
  readonly #refreshers: (() => Promise<void>)[] = [];

  counter<L extends string = never>(options: MetricOptions<L>): Counter<L> {
    return this.#add(new Counter<L>(options));
  }

  gauge<L extends string = never>(options: MetricOptions<L>): Gauge<L> {
    return this.#add(new Gauge<L>(options));
  }

  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    return this.#add(new Histogram<L>(options));
  }

  /** Runs `collect` before every exposition, to refresh gauges read from elsewhere. */
  onCollect(collect: () => void): void {
    this.#collectors.push(collect);
  }

  /**
   * Awaits `refresh` before every `scrape()`: metrics read from a database. It must not throw
   * (report a failure as a metric), or /metrics would fail with it.
   */
  onScrape(refresh: () => Promise<void>): void {
    this.#refreshers.push(refresh);
  }

  /** What /metrics serves: the asynchronous sources refreshed, then the exposition. */
  async scrape(): Promise<string> {
    await Promise.all(this.#refreshers.map((refresh) => refresh()));
    return this.metrics();
  }

  /** The text exposition format 0.0.4, served with `METRICS_CONTENT_TYPE`. */
  metrics(): string {
    for (const collect of this.#collectors) collect();
    const blocks = [...this.#metrics.values()].map((metric) => metric.render());
    return blocks.length ? blocks.join("\n") + "\n" : "";
  }

  #add<M extends AnyMetric>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`metric ${metric.name} already registered`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }
}
