// The predict job (DESIGN §7): every active stock × its assigned models (lib/predict/plan.ts) ×
// the configured horizons, as of the stock's latest close. A rerun finds the same as-of and adds
// nothing; stocks run `PREDICT_CONCURRENCY` at a time; a kill stops between predictions, each of
// which is one transaction with the alerts it raises.
import { WinRateCache } from "../lib/alerts/enqueue.ts";
import type { AppContext } from "../lib/context.ts";
import { listExperiments } from "../lib/experiments/store.ts";
import type { Job, JobCounts } from "../lib/jobs/job.ts";
import { latestCloseBy } from "../lib/market/store.ts";
import { listModels } from "../lib/models/store.ts";
import { configuredLlm } from "../lib/predict/llm_runner.ts";
import { planAssignments } from "../lib/predict/plan.ts";
import { type LlmRunner, predictStock, SpendingGuard, tallyInto } from "../lib/predict/predict.ts";
import { listStocks } from "../lib/stocks/store.ts";
import { eachLimited } from "../lib/util/each_limited.ts";

export function createPredictJob(
  llmFor: (app: AppContext) => LlmRunner = configuredLlm,
): Job {
  return {
    name: "predict",
    description: "Ask every active model for a forecast per stock",
    async run({ app, log, signal, args, fence }) {
      if (args.length) throw new Error(`predict: unknown flag ${args[0]} (it takes none)`);
      const now = new Date();
      const { sql } = app.db;
      const [stocks, models, experiments] = await Promise.all([
        listStocks(sql, { activeOnly: true }),
        listModels(sql, { activeOnly: true }),
        listExperiments(sql, { status: "running" }),
      ]);
      const counts: JobCounts = {};
      if (models.length === 0) {
        log.info("no active models: nothing to predict");
        return counts;
      }
      const tally = tallyInto(counts);
      const deps = {
        app,
        llm: llmFor(app),
        spending: new SpendingGuard(app, () => new Date()),
        log,
        tally,
        signal,
        // Alerts quote each model's win rate: read once per model per run.
        winRates: new WinRateCache(),
        fence,
      };
      const withoutPrices: string[] = [];
      await eachLimited(stocks, app.config.predict.concurrency, async (stock) => {
        if (signal.aborted) return;
        const asOf = await latestCloseBy(sql, stock.id, now);
        if (asOf === null) {
          withoutPrices.push(stock.symbol);
          return;
        }
        await predictStock(deps, {
          stock,
          asOf,
          mode: "live",
          horizons: app.config.predict.horizons,
          assignments: planAssignments(models, experiments, stock.symbol, now),
        });
      });
      if (withoutPrices.length > 0) {
        // One line for all of them: a new universe without prices is not an error storm.
        tally("skipped.stock_without_prices", withoutPrices.length);
        log.info("stocks without prices yet were skipped", {
          count: withoutPrices.length,
          symbols: withoutPrices.slice(0, 20),
        });
      }
      return counts;
    },
  };
}
