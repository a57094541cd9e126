// Signing in and out in a real browser, through the /login form and the header's sign-out button:
// the session cookies, the account in the navigation, what the back button shows afterwards, a
// failed sign-in, and who may open the admin console. Each step has its own browser context (its
// own cookies) on one app and one Chromium.
import assert from "node:assert/strict";
import type { BrowserContext } from "playwright-core";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../../lib/auth/cookies.ts";
import { createTestUser, TEST_PASSWORD } from "../support/auth.ts";
import { chromiumAvailable, signInThroughForm, watchProblems } from "./chromium.ts";
import { openBrowserApp } from "./world.ts";

const available = chromiumAvailable("tests/browser/auth_test.ts");

async function sessionCookieNames(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((cookie) => cookie.name)
    .filter((name) => name === ACCESS_COOKIE || name === REFRESH_COOKIE).sort();
}

Deno.test({
  name: "browser: signing in and out, and who may open /admin",
  ignore: !available,
  fn: async (t) => {
    await using env = await openBrowserApp();
    const { app, browser } = env;
    const [admin, investor] = await Promise.all([
      createTestUser(app.context, { role: "admin", displayName: "Ada Admin" }),
      createTestUser(app.context, { role: "investor" }),
    ]);
    const withContext = async (run: (context: BrowserContext) => Promise<void>) => {
      const context = await browser.newContext();
      try {
        await run(context);
      } finally {
        await context.close();
      }
    };

    await t.step("sign in through the form, then sign out", () =>
      withContext(async (context) => {
        const page = await context.newPage();
        const problems = watchProblems(page);
        // Sent to sign in first, and brought back to the page asked for.
        await page.goto(`${app.url}/admin/users`);
        assert.equal(new URL(page.url()).pathname, "/login");
        await page.getByLabel("Email").fill(admin.email);
        await page.getByLabel("Password").fill(admin.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${app.url}/admin/users`);
        assert.deepEqual(await sessionCookieNames(context), [ACCESS_COOKIE, REFRESH_COOKIE]);
        const cookies = await context.cookies();
        assert.ok(cookies.every((cookie) => cookie.httpOnly && cookie.sameSite === "Lax"));

        const menu = page.locator(".site-header .user-menu");
        assert.match(
          await menu.textContent() ?? "",
          new RegExp(`Ada Admin.*${admin.email}.*admin`),
        );
        const main = page.getByRole("navigation", { name: "Main" });
        assert.equal(await main.getByRole("link", { name: "Admin" }).count(), 1);
        await page.goto(`${app.url}/predictions`);
        assert.match(await menu.textContent() ?? "", new RegExp(admin.email));

        await page.getByRole("button", { name: "Sign out" }).click();
        await page.waitForURL(`${app.url}/`);
        assert.deepEqual(await sessionCookieNames(context), []);
        assert.equal(await page.getByRole("link", { name: "Sign in" }).count(), 1);
        assert.equal(await main.getByRole("link", { name: "Admin" }).count(), 0);
        assert.doesNotMatch(await page.locator(".site-header").textContent() ?? "", /Ada Admin/);

        // Back to the signed-in page: it is fetched again, not shown from the browser's cache.
        await page.goBack();
        await page.waitForURL(`${app.url}/predictions`);
        assert.doesNotMatch(await page.locator(".site-header").textContent() ?? "", /Ada Admin/);
        assert.equal(await page.getByRole("link", { name: "Sign in" }).count(), 1);

        // The session is over: the console asks to sign in again.
        await page.goto(`${app.url}/admin`);
        assert.equal(new URL(page.url()).pathname, "/login");
        assert.equal(new URL(page.url()).searchParams.get("next"), "/admin");
        assert.deepEqual(problems, []);
      }));

    await t.step(
      "a wrong password shows why and sets no session cookie",
      () =>
        withContext(async (context) => {
          const page = await context.newPage();
          const problems = watchProblems(page, ["/login"]);
          await page.goto(`${app.url}/login`);
          await page.getByLabel("Email").fill(investor.email);
          await page.getByLabel("Password").fill(`${TEST_PASSWORD} but wrong`);
          const [response] = await Promise.all([
            page.waitForResponse((response) => response.request().method() === "POST"),
            page.getByRole("button", { name: "Sign in" }).click(),
          ]);
          assert.equal(response.status(), 401);
          const alert = page.getByRole("alert");
          assert.match(await alert.textContent() ?? "", /email or password/i);
          assert.equal(new URL(page.url()).pathname, "/login");
          assert.equal(await page.getByLabel("Email").inputValue(), investor.email, "kept");
          assert.equal(await page.getByLabel("Password").inputValue(), "", "never echoed");
          assert.deepEqual(await sessionCookieNames(context), []);
          assert.equal(await page.getByRole("link", { name: "Sign in" }).count(), 1);
          assert.deepEqual(problems, []);
        }),
    );

    await t.step(
      "an investor gets the 403 page at /admin; a visitor is sent to sign in",
      () =>
        withContext(async (context) => {
          const page = await context.newPage();
          const problems = watchProblems(page, ["/admin", "/admin/models"]);
          await page.goto(`${app.url}/admin`);
          assert.equal(new URL(page.url()).pathname, "/login");
          assert.equal(await page.getByRole("heading", { name: "Sign in" }).count(), 1);

          await signInThroughForm(page, investor);
          assert.equal(new URL(page.url()).pathname, "/admin", "back where they were going");
          for (const path of ["/admin", "/admin/models"]) {
            const response = await page.goto(`${app.url}${path}`);
            assert.equal(response?.status(), 403, path);
            assert.equal(new URL(page.url()).pathname, path, "not redirected");
            const heading = page.getByRole("heading", { level: 1 });
            assert.equal(await heading.textContent(), "You can't open this page", path);
            assert.match(await page.locator("main").textContent() ?? "", /for administrators/);
            assert.equal(await page.locator(".admin-nav").count(), 0, "no console shown");
          }
          assert.match(await page.locator(".user-menu").textContent() ?? "", /investor/);
          assert.deepEqual(problems, []);
        }),
    );

    await t.step(
      "a signed-in page and /api/auth/me are never stored by a cache",
      () =>
        withContext(async (context) => {
          const page = await context.newPage();
          // A visitor's second view (the first sets the visitor cookie) comes from the page cache.
          await page.goto(`${app.url}/stocks`);
          const anonymous = await page.goto(`${app.url}/stocks`);
          assert.equal(anonymous?.headers()["cache-control"], "no-cache", "anonymous: revalidated");
          await page.goto(`${app.url}/login`);
          await signInThroughForm(page, investor);
          for (const path of ["/", "/stocks", "/stocks/AAPL", "/predictions", "/login"]) {
            const response = await page.goto(`${app.url}${path}`);
            assert.equal(response?.headers()["cache-control"], "no-store", path);
            assert.match(response?.headers()["vary"] ?? "", /\bCookie\b/, path);
          }
          const me = await page.evaluate(async () => {
            const response = await fetch("/api/auth/me");
            return {
              status: response.status,
              cacheControl: response.headers.get("cache-control"),
              vary: response.headers.get("vary"),
              email: (await response.json()).user.email,
            };
          });
          assert.deepEqual(me, {
            status: 200,
            cacheControl: "no-store",
            vary: "Cookie, Authorization",
            email: investor.email,
          });
        }),
    );
  },
});
