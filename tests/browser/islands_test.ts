// Islands in a real browser, against the fixture app: hydration, live (shared) signal props,
// escaped props surviving the trip, and no script at all on a page without islands.
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { startFixture } from "../fixtures/fresh_app/serve.ts";
import { TRICKY_LABEL } from "../fixtures/fresh_app/define.ts";
import { chromiumAvailable, launchChromium, watchProblems } from "./chromium.ts";

const available = chromiumAvailable("tests/browser/islands_test.ts");

async function withBrowser(run: (browser: Browser, url: string) => Promise<void>): Promise<void> {
  const fixture = await startFixture();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    await run(browser, fixture.url);
  } finally {
    await browser?.close();
    await fixture.close();
  }
}

Deno.test({
  name: "browser: an island hydrates, reacts to clicks and keeps its escaped props",
  ignore: !available,
  fn: () =>
    withBrowser(async (browser, url) => {
      const page = await browser.newPage();
      // The fixture app names no icon: a browser may ask for /favicon.ico and get a 404.
      const errors = watchProblems(page, ["/favicon.ico"]);
      const scripts: string[] = [];
      page.on("request", (request) => {
        if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
      });
      await page.goto(`${url}/`);
      const button = page.locator("button.counter");
      assert.equal(await button.textContent(), `${TRICKY_LABEL}: 3`);
      // Hydration is asynchronous: click until the signal reacts (it must, within the timeout).
      await page.waitForFunction(() => document.querySelector("craveny-island") !== null);
      await button.click();
      await page.waitForFunction(
        (expected) => document.querySelector("button.counter")?.textContent === expected,
        `${TRICKY_LABEL}: 4`,
        { timeout: 5000 },
      );
      assert.deepEqual(errors, []);
      // Everything the page's script pulled in was announced with modulepreload.
      const preloaded = await page.$$eval(
        "link[rel=modulepreload]",
        (links) => links.map((link) => new URL((link as HTMLLinkElement).href).pathname),
      );
      assert.ok(scripts.length > 0);
      for (const script of scripts) assert.ok(preloaded.includes(script), `${script} preloaded`);
    }),
});

Deno.test({
  name: "browser: two islands given one signal share it live",
  ignore: !available,
  fn: () =>
    withBrowser(async (browser, url) => {
      const page = await browser.newPage();
      await page.goto(`${url}/shared`);
      await page.locator("button.counter").first().click();
      await page.waitForFunction(() =>
        [...document.querySelectorAll("button.counter")].map((b) => b.textContent).join("|") ===
          "first: 11|second: 11"
      );
    }),
});

Deno.test({
  name: "browser: a page without islands requests no script",
  ignore: !available,
  fn: () =>
    withBrowser(async (browser, url) => {
      const page = await browser.newPage();
      const requests: { url: string; type: string }[] = [];
      page.on("request", (request) =>
        requests.push({ url: request.url(), type: request.resourceType() }));
      await page.goto(`${url}/plain`, { waitUntil: "networkidle" });
      assert.equal(await page.locator("h1").textContent(), "No islands here");
      assert.deepEqual(
        requests.filter((request) =>
          request.type === "script"
        ),
        [],
      );
      assert.equal(await page.locator("script").count(), 0);
    }),
});
