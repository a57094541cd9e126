// Debian's Chromium driven by playwright-core, for the browser tests: whether it is installed, one
// launch with the flags that work here, a watch over what goes wrong on a page, signing in through
// the real form, and full-page screenshots kept as CI artifacts (test-artifacts/ is gitignored).
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Where screenshots go; .ci/run reports how many it holds. */
export const SCREENSHOTS_DIR = new URL("../../test-artifacts/screenshots/", import.meta.url);

/** Whether Chromium is installed; when it is not, says that `testFile`'s tests are skipped. */
export function chromiumAvailable(testFile: string): boolean {
  try {
    if (Deno.statSync(CHROMIUM).isFile) return true;
  } catch {
    // Not installed: reported below.
  }
  console.warn(`SKIPPED ${testFile}: ${CHROMIUM} is missing`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/**
 * Collects what goes wrong on `page`: script errors, console errors (CSP violations among them)
 * and responses of 400 or more, except those `expected` names by path (a 403 page asked for).
 */
export function watchProblems(page: Page, expected: readonly string[] = []): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    // A failed load is reported again (with its path) by the response handler below.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(message.text());
    }
  });
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (response.status() >= 400 && !expected.includes(path)) {
      problems.push(`${response.status()} ${path}`);
    }
  });
  return problems;
}

/**
 * Signs in through the sign-in form `page` shows, as a person would, and waits for the page it
 * leads to.
 */
export async function signInThroughForm(
  page: Page,
  user: { email: string; password: string },
): Promise<void> {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

/** Saves a full-page PNG of `page` as test-artifacts/screenshots/`name`.png. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`screenshot name ${name}: use a-z, 0-9 and -`);
  await Deno.mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS_DIR).pathname, fullPage: true });
}
