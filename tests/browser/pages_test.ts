// The main pages in a real browser on a seeded market: each loads without an error (and is saved
// as a full-page screenshot under test-artifacts/screenshots/), none scrolls sideways on a phone
// (390 CSS pixels, in light and dark mode, the admin console included), and the keyboard reaches
// the main navigation from the top of the page with a visible focus ring.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createTestUser } from "../support/auth.ts";
import { chromiumAvailable, saveScreenshot, signInThroughForm, watchProblems } from "./chromium.ts";
import { openBrowserApp, type World } from "./world.ts";

const available = chromiumAvailable("tests/browser/pages_test.ts");

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** The investor pages and the sign-in page, each with the name of its screenshot. */
function mainPages(world: World): { name: string; path: string }[] {
  return [
    { name: "dashboard", path: "/" },
    { name: "stocks", path: "/stocks" },
    { name: "stock-aapl", path: "/stocks/AAPL" },
    { name: "predictions", path: "/predictions" },
    { name: "models", path: "/models" },
    { name: "model-detail", path: `/models/${world.models.alpha}` },
    { name: "news", path: "/news" },
    { name: "login", path: "/login" },
  ];
}

function adminPages(world: World): string[] {
  return [
    "/admin",
    "/admin/stocks",
    "/admin/stocks/AAPL",
    "/admin/models",
    `/admin/models/${world.models.oracle}`,
    "/admin/models/new",
    "/admin/experiments",
    "/admin/users",
    "/admin/jobs",
  ];
}

/** How far the page is wider than the window, and the elements sticking out (for the message). */
function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const width = innerWidth;
    const overflow = document.scrollingElement!.scrollWidth - width;
    const culprits = overflow <= 0 ? [] : [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      // The outermost ones: their children stick out only because they do.
      .filter((element) => element.parentElement!.getBoundingClientRect().right <= width + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    return { overflow, culprits };
  });
}

Deno.test({
  name: "browser: the main pages (screenshots, a phone's width, the keyboard)",
  ignore: !available,
  fn: async (t) => {
    await using env = await openBrowserApp();
    const { app, browser, world } = env;
    const admin = await createTestUser(app.context, { role: "admin", displayName: "Ada Admin" });

    await t.step("each main page loads without an error, as a screenshot", async () => {
      const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "light" });
      try {
        const page = await context.newPage();
        const problems = watchProblems(page);
        for (const { name, path } of mainPages(world)) {
          const response = await page.goto(`${app.url}${path}`);
          assert.equal(response?.status(), 200, path);
          await saveScreenshot(page, name);
        }
        // Headless Chromium asks for no icon: check that the one the pages name is there.
        const icon = await page.locator("link[rel=icon]").getAttribute("href");
        const favicon = await page.request.get(`${app.url}${icon}`);
        assert.equal(favicon.status(), 200);
        assert.equal(favicon.headers()["content-type"], "image/svg+xml");
        await page.goto(`${app.url}/admin`);
        await signInThroughForm(page, admin);
        await saveScreenshot(page, "admin");
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    for (const colorScheme of ["light", "dark"] as const) {
      await t.step(`no page scrolls sideways at 390 pixels (${colorScheme})`, async () => {
        const context = await browser.newContext({ viewport: PHONE, colorScheme });
        try {
          const page = await context.newPage();
          const problems = watchProblems(page);
          const wide: string[] = [];
          const check = async (path: string) => {
            await page.goto(`${app.url}${path}`);
            const { overflow, culprits } = await sidewaysOverflow(page);
            if (overflow > 0) wide.push(`${path} by ${overflow}px: ${culprits.join(", ")}`);
          };
          for (const { path } of mainPages(world)) await check(path);
          await check(`/experiments/${world.experiment}`);
          await page.goto(`${app.url}/`);
          await saveScreenshot(page, `dashboard-phone-${colorScheme}`);
          await page.goto(`${app.url}/login`);
          await signInThroughForm(page, admin);
          for (const path of adminPages(world)) await check(path);
          assert.deepEqual(wide, []);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      });
    }

    await t.step("Tab from the top reaches every main link, each with a visible ring", async () => {
      const context = await browser.newContext({ viewport: PHONE });
      try {
        const page = await context.newPage();
        await page.goto(`${app.url}/stocks`);
        const navLinks = await page.locator("nav[aria-label=Main] a").evaluateAll((links) =>
          links.map((link) => link.getAttribute("href"))
        );
        assert.deepEqual(navLinks, ["/", "/stocks", "/predictions", "/models", "/news"]);
        const reached: string[] = [];
        for (let press = 0; press < 12 && reached.length < navLinks.length; press++) {
          await page.keyboard.press("Tab");
          const focused = await page.evaluate(() => {
            const element = document.activeElement as HTMLElement;
            const style = getComputedStyle(element);
            return {
              inNav: element.closest("nav[aria-label=Main]") !== null,
              href: element.getAttribute("href"),
              ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
                style.boxShadow !== "none",
              visible: element.getBoundingClientRect().width > 0,
            };
          });
          if (!focused.inNav) continue;
          assert.ok(focused.ring, `${focused.href} shows no focus ring`);
          assert.ok(focused.visible, `${focused.href} is not on screen`);
          reached.push(focused.href!);
        }
        assert.deepEqual(reached, navLinks, "Tab reaches the main links in order");
        // The first stop is the skip link, and it leads past the header.
        await page.goto(`${app.url}/stocks`);
        await page.keyboard.press("Tab");
        const skip = page.getByRole("link", { name: "Skip to content" });
        assert.equal(await skip.evaluate((link) => link === document.activeElement), true);
        assert.ok(await skip.isVisible(), "the focused skip link is shown");
        await page.keyboard.press("Enter");
        await page.waitForURL(/#main$/);
      } finally {
        await context.close();
      }
    });
  },
});
