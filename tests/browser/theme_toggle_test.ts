// The app's ThemeToggle island in a real browser, served by the real Hono app (security headers
// and CSP included): hydrates, flips the theme, persists it across a reload.
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import manifest from "../../fresh.gen.ts";
import { createFreshHandler } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import { startTestApp } from "../support/app.ts";
import { chromiumAvailable, launchChromium, watchProblems } from "./chromium.ts";

const available = chromiumAvailable("tests/browser/theme_toggle_test.ts");

Deno.test({
  name: "browser: the theme toggle switches, labels and persists the theme",
  ignore: !available,
  fn: async () => {
    const fresh = await createFreshHandler(manifest, { log: createLogger("error", () => {}) });
    const server = await startTestApp({ pages: fresh });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ colorScheme: "light" });
      const errors = watchProblems(page);
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
