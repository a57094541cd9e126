// `deno task replay --from DATE --to DATE [--models a,b] [--symbols AAPL,MSFT]`: predictions over
// history through the live code path (lib/predict/replay.ts), with a progress bar and an ETA on
// stderr, a JSON summary on stdout, and a clean stop on Ctrl-C (run it again to resume).
import { openAppContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import type { JobCounts } from "../lib/jobs/job.ts";
import { createLogger } from "../lib/log.ts";
import { listModels } from "../lib/models/store.ts";
import { configuredLlm } from "../lib/predict/llm_runner.ts";
import { SpendingGuard, tallyInto } from "../lib/predict/predict.ts";
import { replayPredictions, replayProgressLine } from "../lib/predict/replay.ts";
import { listStocks } from "../lib/stocks/store.ts";
import { normalizeSymbol } from "../lib/stocks/symbol.ts";
import { INTERRUPTED_EXIT, options, runTask, stopOnInterrupt, UsageError } from "./cli.ts";

const usage =
  `usage: deno task replay --from YYYY-MM-DD --to YYYY-MM-DD [--models a,b] [--symbols AAPL,MSFT]

Predicts every trading day from --from to --to (inclusive) as of that day's close, with the
same code as the live predict job, marked mode=replay. LLM predictions as of a day before the
model's knowledge cutoff are flagged contaminated. Existing predictions are kept, so an
interrupted replay resumes where it stopped.

  --models   model names (default: every active model; inactive ones may be named)
  --symbols  stock symbols (default: every active stock)`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function day(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`--${name} is required`);
  const parsed = new Date(`${value}T00:00:00Z`);
  if (
    !DATE.test(value) || Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== value
  ) {
    throw new UsageError(`--${name}: expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

function names(value: string | undefined): string[] | null {
  return value === undefined ? null : value.split(",").map((name) => name.trim()).filter(Boolean);
}

/** Picks the `wanted` items by name; throws naming the unknown ones. */
function pick<T>(all: T[], key: (item: T) => string, wanted: string[], what: string): T[] {
  const byName = new Map(all.map((item) => [key(item), item]));
  const unknown = wanted.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown ${what}: ${unknown.join(", ")} (known: ${[...byName.keys()].join(", ")})`,
    );
  }
  return wanted.map((name) => byName.get(name)!);
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = options(args, {
    from: { type: "string" },
    to: { type: "string" },
    models: { type: "string" },
    symbols: { type: "string" },
  });
  if (positionals.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  const from = day("from", values.from);
  const to = day("to", values.to);
  if (from > to) throw new UsageError("--from must not be after --to");
  const config = loadConfig(await readEnvironment());
  const log = createLogger(config.logLevel);
  const app = await openAppContext(config, log);
  try {
    using interrupt = stopOnInterrupt();
    const wantedModels = names(values.models);
    const wantedSymbols = names(values.symbols)?.map((s) => normalizeSymbol(s) ?? s);
    const models = wantedModels
      ? pick(await listModels(app.db.sql), (m) => m.name, wantedModels, "model")
      : await listModels(app.db.sql, { activeOnly: true });
    const stocks = wantedSymbols
      ? pick(await listStocks(app.db.sql), (s) => s.symbol, wantedSymbols, "symbol")
      : await listStocks(app.db.sql, { activeOnly: true });

    const counts: JobCounts = {};
    const started = performance.now();
    const terminal = Deno.stderr.isTerminal();
    const encoder = new TextEncoder();
    let shown = 0;
    let lastDecile = -1;
    const done = await replayPredictions({
      app,
      llm: configuredLlm(app),
      spending: new SpendingGuard(app, () => new Date()),
      log,
      tally: tallyInto(counts),
      signal: interrupt.signal,
    }, {
      from,
      to,
      models,
      stocks,
      horizons: config.predict.horizons,
      onProgress(done, total) {
        const elapsed = performance.now() - started;
        const decile = Math.floor((done / total) * 10);
        if (terminal && (elapsed - shown > 250 || done === total)) {
          shown = elapsed;
          Deno.stderr.writeSync(encoder.encode(`\r${replayProgressLine(done, total, elapsed)}`));
        } else if (!terminal && decile !== lastDecile) {
          lastDecile = decile;
          console.error(replayProgressLine(done, total, elapsed));
        }
      },
    });
    if (terminal) console.error("");
    console.log(JSON.stringify({
      from,
      to,
      stockDays: done,
      interrupted: interrupt.signal.aborted,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      counts,
    }));
    if (!interrupt.signal.aborted) return 0;
    console.error("replay interrupted: the predictions stored so far stay; run it again to resume");
    return INTERRUPTED_EXIT;
  } finally {
    await app.close();
  }
}

if (import.meta.main) runTask(usage, main);
