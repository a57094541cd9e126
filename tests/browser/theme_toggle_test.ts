// The app's ThemeToggle island in a real browser, served by the real Hono app (security headers
// and CSP included): hydrates, flips the theme, persists it across a reload.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import manifest from "../../fresh.gen.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import { startTestApp } from "../support/app.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
if (!available) console.warn(`SKIPPED tests/browser/theme_toggle_test.ts: ${CHROMIUM} is missing`);

Deno.test({
  name: "browser: the theme toggle switches, labels and persists the theme",
  ignore: !available,
  fn: async () => {
    const fresh = await createFreshHandler(manifest, { log: createLogger("error", () => {}) });
    const server = await startTestApp({ pages: fresh });
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      const page = await browser.newPage({ colorScheme: "light" });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      // Console errors include CSP violations; failed loads are checked by response instead.
      page.on("console", (message) => {
        const text = message.text();
        if (message.type() === "error" && !text.startsWith("Failed to load resource")) {
          errors.push(text);
        }
      });
      page.on("response", (response) => {
        const path = new URL(response.url()).pathname;
        if (response.status() >= 400 && path !== "/favicon.ico") {
          errors.push(`${response.status()} ${path}`);
        }
      });
      await page.goto(`${server.url}/`);
      const toggle = page.getByRole("button", { name: "Dark theme" });
      await toggle.waitFor({ state: "visible" });
      assert.equal(await toggle.getAttribute("aria-pressed"), "false");
      assert.equal(await page.locator("html").getAttribute("data-theme"), "light");

      await toggle.click();
      await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      assert.match((await toggle.textContent()) ?? "", /Dark theme\s*on/);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, "rgb(15, 20, 25)");

      await page.reload();
      await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      assert.deepEqual(errors, []);
    } finally {
      await browser?.close();
      await server.close();
      await fresh.close();
    }
  },
});
