// The investor pages' islands in a real browser, served by the real Hono app (CSP, page cache and
// all) on a throwaway database: a chart that is there without JavaScript and interactive with it,
// the predictions filters updating the list in place, and a new prediction appearing live on the
// dashboard.
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import type { Sql } from "postgres";
import manifest from "../../fresh.gen.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import { upsertStocks } from "../../lib/stocks/store.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { openTestDatabase } from "../support/database.ts";
import { testBar } from "../support/fixtures.ts";
import { addTestModels, addTestPredictions } from "../support/predictions.ts";
import { chromiumAvailable, launchChromium, watchProblems as watch } from "./chromium.ts";

const available = chromiumAvailable("tests/browser/investor_test.ts");

/** 60 weekdays of AAPL and MSFT from 2024-01-02, and calls on them, the last on 2024-03-25. */
async function seed(sql: Sql): Promise<void> {
  const stocks = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
  ]);
  const days: string[] = [];
  for (
    const day = new Date("2024-01-02T00:00:00Z");
    days.length < 60;
    day.setUTCDate(day.getUTCDate() + 1)
  ) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
  }
  for (const [n, stock] of stocks.entries()) {
    const bars = days.map((date, i) => testBar(date, 100 + n * 50 + 10 * Math.sin(i / 6)));
    await upsertPriceBars(sql, stock, bars, "test");
  }
  await addTestModels(sql, [{ name: "momentum" }]);
  // Daily 1-day calls on AAPL that turn every ten days, then one live call on MSFT.
  await addTestPredictions(sql, [
    ...days.slice(20).map((date, i) => ({
      model: "momentum",
      symbol: "AAPL",
      asOf: `${date}T21:00:00Z`,
      horizon: 1,
      direction: Math.floor(i / 10) % 2 === 0 ? "up" as const : "down" as const,
      confidence: 0.66,
      mode: "replay" as const,
    })),
    {
      model: "momentum",
      symbol: "MSFT",
      asOf: `${days.at(-1)}T21:00:00Z`,
      direction: "down",
      confidence: 0.71,
    },
  ]);
}

async function withApp(run: (browser: Browser, app: TestApp) => Promise<void>): Promise<void> {
  await using db = await openTestDatabase();
  await seed(db.sql);
  const fresh = await createFreshHandler(manifest, { log: createLogger("error", () => {}) });
  const app = await startTestApp({ pages: fresh, app: { db } });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    await run(browser, app);
  } finally {
    await browser?.close();
    await app.close();
    await fresh.close();
  }
}

Deno.test({
  name: "browser: the price chart is drawn without JavaScript, and interactive with it",
  ignore: !available,
  fn: () =>
    withApp(async (browser, app) => {
      const plain = await browser.newContext({ javaScriptEnabled: false });
      const noJs = await plain.newPage();
      await noJs.goto(`${app.url}/stocks/AAPL`);
      const svg = noJs.locator("figure.price-chart svg[role=img]");
      assert.ok(await svg.isVisible());
      assert.match(await svg.locator("> title").textContent() ?? "", /^AAPL daily close/);
      assert.ok(await noJs.locator(".chart-marker-up").count() > 0, "the calls are marked");
      assert.ok(await noJs.locator(".chart-marker-down").count() > 0);
      assert.equal(await noJs.locator("canvas").count(), 0);
      await plain.close();

      const page = await browser.newPage();
      const problems = watch(page);
      await page.goto(`${app.url}/stocks/AAPL`);
      const canvas = page.getByRole("img", { name: /^AAPL daily close/ });
      await page.locator("canvas").waitFor();
      assert.equal(await canvas.evaluate((element) => element.tagName), "CANVAS");
      assert.equal(await page.locator("figure.price-chart svg[role=img]").count(), 0);
      const range = page.locator(".chart-range");
      assert.match(await range.textContent() ?? "", /^Showing 2024-01-02 to 2024-03-25/);
      const month = page.getByRole("button", { name: "1 month" });
      await month.click();
      assert.equal(await month.getAttribute("aria-pressed"), "true");
      assert.match(
        await range.textContent() ?? "",
        /^Showing 2024-02-26 to 2024-03-25: close from/,
      );
      // Dragging across the chart zooms to the dragged days.
      const box = (await page.locator("canvas").boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
      await page.waitForFunction(() =>
        !document.querySelector(".chart-toolbar [aria-pressed=true]")
      );
      assert.doesNotMatch(await range.textContent() ?? "", /2024-02-26 to 2024-03-25/);
      assert.deepEqual(problems, []);
    }),
});

Deno.test({
  name: "browser: the predictions filters update the list and the URL in place",
  ignore: !available,
  fn: () =>
    withApp(async (browser, app) => {
      const page = await browser.newPage();
      const problems = watch(page);
      // Hydrated once its scripts have loaded: only then do changes go through the island.
      await page.goto(`${app.url}/predictions`, { waitUntil: "networkidle" });
      // A navigation would drop this; an in-place update keeps it.
      await page.evaluate(() => Object.assign(globalThis, { stayed: true }));
      assert.equal(await page.locator(".predictions-table tbody tr").count(), 41);
      await page.getByLabel("Symbol").fill("MSFT");
      await page.waitForFunction(() => location.search === "?symbol=MSFT");
      await page.waitForFunction(() =>
        document.querySelectorAll(".predictions-table tbody tr").length === 1
      );
      assert.equal(await page.evaluate(() => (globalThis as { stayed?: boolean }).stayed), true);
      assert.match(
        await page.locator("a[download]").getAttribute("href") ?? "",
        /symbol=MSFT&format=csv/,
      );
      await page.getByLabel("Direction").selectOption("up");
      await page.waitForFunction(() =>
        document.body.textContent?.includes("No predictions match these filters.")
      );
      assert.equal(
        await page.locator("[role=status]").last().textContent(),
        "No predictions match these filters.",
      );
      // The address is a real page: reloading it shows the same selection, server-rendered.
      await page.reload();
      assert.equal(await page.getByLabel("Symbol").inputValue(), "MSFT");
      assert.equal(await page.getByLabel("Direction").inputValue(), "up");
      assert.deepEqual(problems, []);
    }),
});

Deno.test({
  name: "browser: a new prediction appears live on an open dashboard",
  ignore: !available,
  fn: () =>
    withApp(async (browser, app) => {
      const page = await browser.newPage();
      const problems = watch(page);
      await page.goto(`${app.url}/`);
      const live = page.locator(".live-signals");
      await live.getByText("new ones appear here").waitFor(); // connected
      assert.equal(await live.locator("li").count(), 1);
      const [id] = await addTestPredictions(app.context.db.sql, [{
        model: "momentum",
        symbol: "AAPL",
        asOf: "2024-03-26T21:00:00Z",
        direction: "up",
        confidence: 0.81,
      }]);
      app.context.newPredictions.notify(); // as the predict job does after storing it
      const arrived = live.locator("li.live-new");
      await arrived.waitFor();
      assert.match(await arrived.textContent() ?? "", /new.*AAPL.*up.*81%/);
      assert.equal(await live.locator("li").count(), 2);
      assert.equal(await live.locator("li").first().getAttribute("class"), "live-new");
      assert.equal(await live.getByRole("status").textContent(), "1 new prediction");
      assert.ok(id > 0);
      assert.deepEqual(problems, []);
    }),
});
