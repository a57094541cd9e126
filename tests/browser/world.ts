// A small evaluated market for the browser tests, served by the real Hono app (security headers,
// page cache and all) on a throwaway database: seedEvaluations' models, calls and snapshots, 60
// weekdays of prices for its stocks, news, one reasoned call citing it, and an LLM model with the
// default prompt (version 1) for the admin console to edit.
import type { Browser } from "playwright-core";
import type { Sql } from "postgres";
import manifest from "../../fresh.gen.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import { DEFAULT_PROMPT_TEMPLATE } from "../../lib/predict/prompt.ts";
import { listStocks } from "../../lib/stocks/store.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { openTestDatabase } from "../support/database.ts";
import { seedEvaluations } from "../support/evaluations.ts";
import { testBar } from "../support/fixtures.ts";
import { addTestNews } from "../support/news.ts";
import { addTestModels, addTestPredictions } from "../support/predictions.ts";
import { launchChromium } from "./chromium.ts";

/** The LLM model whose prompt the admin test edits. */
export const PROMPTED_MODEL = "oracle";

/** What `seedWorld` stored that tests link to. */
export interface World {
  models: { alpha: number; beta: number; oracle: number };
  /** The running experiment "judges". */
  experiment: number;
}

/** The weekdays from 2024-01-02, `count` of them, as YYYY-MM-DD. */
function weekdays(count: number): string[] {
  const days: string[] = [];
  for (const day = new Date("2024-01-02T00:00:00Z"); days.length < count;) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

export async function seedWorld(sql: Sql): Promise<World> {
  const { models, experiment } = await seedEvaluations(sql);
  const stocks = await listStocks(sql);
  const days = weekdays(60);
  for (const [n, stock] of stocks.entries()) {
    const bars = days.map((date, i) => testBar(date, 80 + n * 40 + 8 * Math.sin(i / 5 + n)));
    await upsertPriceBars(sql, stock, bars, "test");
  }
  const news = await addTestNews(sql, [
    {
      title: "Apple shares climb after record iPhone sales in China",
      summary: "Analysts raised their targets after the quarter's unit numbers.",
      publishedAt: new Date("2024-03-22T14:00:00Z"),
      symbols: ["AAPL"],
    },
    {
      title: "Microsoft widens its AI partnership with a new data-centre deal",
      publishedAt: new Date("2024-03-21T13:30:00Z"),
      symbols: ["MSFT"],
    },
    {
      title: "Chip stocks slip as Nvidia guidance disappoints some investors",
      publishedAt: new Date("2024-03-20T16:00:00Z"),
      symbols: ["NVDA", "AAPL"],
    },
  ], new Date("2024-03-22T15:00:00Z"));
  const [oracle] = await addTestModels(sql, [
    { name: PROMPTED_MODEL, provider: "openai", prompt: DEFAULT_PROMPT_TEMPLATE },
  ]);
  await addTestPredictions(sql, [{
    model: "alpha",
    symbol: "AAPL",
    asOf: `${days.at(-1)}T21:00:00Z`,
    horizon: 1,
    direction: "up",
    confidence: 0.74,
    reasoning: `Record iPhone sales [${news[0]}] and a rising 20-day trend.`,
    citedNewsIds: [news[0]],
  }]);
  return { models: { alpha: models.alpha, beta: models.beta, oracle }, experiment };
}

/** The app on a seeded database and one Chromium, for all the tests of a file. */
export interface BrowserApp extends AsyncDisposable {
  app: TestApp;
  browser: Browser;
  world: World;
}

export async function openBrowserApp(): Promise<BrowserApp> {
  const db = await openTestDatabase();
  const closers: (() => Promise<void>)[] = [() => db.dispose()];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const world = await seedWorld(db.sql);
    const fresh = await createFreshHandler(manifest, { log: createLogger("error", () => {}) });
    closers.push(() => fresh.close());
    const app = await startTestApp({ pages: fresh, app: { db } });
    closers.push(() => app.close());
    const browser = await launchChromium();
    closers.push(() => browser.close());
    return { app, browser, world, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}
