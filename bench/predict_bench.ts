// Replay throughput of the five built-in models over real prices (the shared 2015–2024 file, its
// 2024 for 10 tickers: ~2,500 stock-days × 5 models), against assembling the same point-in-time
// inputs alone in the same run; and prompt assembly per prediction against serialising the same
// inputs to JSON. Predictions/s = predictions ÷ the replay's time (printed).
// The database is DATABASE_URL's server when set (a fresh database), else embedded PGlite.
//   deno bench -A bench/predict_bench.ts
import { importPrices } from "../lib/imports/prices_import.ts";
import type { JobCounts } from "../lib/jobs/job.ts";
import { createLogger } from "../lib/log.ts";
import { closesBetween } from "../lib/market/store.ts";
import { DEFAULT_MODELS } from "../lib/models/defaults.ts";
import { listModels, seedModels } from "../lib/models/store.ts";
import { assembleInputs } from "../lib/predict/inputs.ts";
import { SpendingGuard, tallyInto } from "../lib/predict/predict.ts";
import { DEFAULT_PROMPT_TEMPLATE, renderPrompt } from "../lib/predict/prompt.ts";
import { replayPredictions } from "../lib/predict/replay.ts";
import type { ModelInputs } from "../lib/predict/types.ts";
import { listStocks } from "../lib/stocks/store.ts";
import { openTestContext } from "../tests/support/context.ts";

const PRICES = new URL(
  "../../shared/data/prices_daily_2015_2024/prices_daily.csv",
  import.meta.url,
);
const SYMBOLS = ["AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "GOOGL", "META", "JPM", "XOM", "SPY"];
const FROM = "2024-01-02";
const TO = "2024-12-31";

const available = await Deno.stat(PRICES).then(() => true, () => false);
if (!available) console.warn(`SKIPPED bench/predict_bench.ts: ${PRICES.pathname} is missing`);
const quiet = createLogger("error", () => {});
const app = available ? await openTestContext({ log: quiet }) : null;
let sample: ModelInputs | null = null;
if (app) {
  const { sql } = app.db;
  await importPrices(sql, (await Deno.open(PRICES)).readable, { fileName: "prices_daily.csv" });
  await seedModels(sql, [...DEFAULT_MODELS]);
  const aapl = (await listStocks(sql)).find((stock) => stock.symbol === "AAPL")!;
  const [close] = await closesBetween(sql, [aapl.id], "2024-06-03", "2024-06-03");
  sample = await assembleInputs(
    { sql, vectors: app.vectors, embedder: app.embedder },
    { stock: aapl, asOf: close.closedAt, horizon: 1, mode: "replay", similarK: 5 },
  );
}

async function stocksAndModels() {
  const { sql } = app!.db;
  const stocks = (await listStocks(sql)).filter((stock) => SYMBOLS.includes(stock.symbol));
  const models = (await listModels(sql)).filter((model) => model.provider === "builtin");
  return { stocks, models };
}

Deno.bench({
  name: "assemble point-in-time inputs for every stock-day (baseline)",
  group: "replay-2024",
  baseline: true,
  ignore: !available,
  n: 1,
  warmup: 0,
  async fn() {
    const { sql } = app!.db;
    const { stocks } = await stocksAndModels();
    const closes = await closesBetween(sql, stocks.map((s) => s.id), FROM, TO);
    const byId = new Map(stocks.map((stock) => [stock.id, stock]));
    for (const close of closes) {
      await assembleInputs({ sql, vectors: app!.vectors, embedder: app!.embedder }, {
        stock: byId.get(close.stockId)!,
        asOf: close.closedAt,
        horizon: 1,
        mode: "replay",
        similarK: 0,
      });
    }
  },
});

Deno.bench({
  name: "replay 2024: 10 stocks × 5 built-in models (inputs, models, inserts)",
  group: "replay-2024",
  ignore: !available,
  n: 1,
  warmup: 0,
  async fn() {
    const { sql } = app!.db;
    await sql`delete from prediction`;
    const { stocks, models } = await stocksAndModels();
    const counts: JobCounts = {};
    const started = performance.now();
    await replayPredictions({
      app: app!,
      llm: () => null,
      spending: new SpendingGuard(app!, () => new Date()),
      log: quiet,
      tally: tallyInto(counts),
    }, { from: FROM, to: TO, models, stocks, horizons: [1] });
    const seconds = (performance.now() - started) / 1000;
    const made = (counts.predicted ?? 0) + (counts.abstained ?? 0);
    console.log(
      `replay: ${made} model runs (${counts.predicted ?? 0} predictions) in ${
        seconds.toFixed(1)
      } s ` +
        `= ${Math.round(made / seconds)} predictions/s`,
    );
  },
});

Deno.bench({
  name: "JSON.stringify of one prediction's inputs (baseline)",
  group: "prompt",
  baseline: true,
  ignore: !available,
  fn() {
    JSON.stringify(sample);
  },
});

Deno.bench({
  name: "render the default prompt for one prediction",
  group: "prompt",
  ignore: !available,
  fn() {
    renderPrompt(DEFAULT_PROMPT_TEMPLATE, sample!);
  },
});
