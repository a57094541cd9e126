// The admin console in a real browser: an admin signs in through the form, opens a model from the
// registry and edits its prompt in the console's own form (its CSRF token and all). The change
// becomes the next prompt version; saving it again unchanged (the browser posts the textarea's
// line breaks as CRLF) makes none; a form whose CSRF token was tampered with changes nothing.
import assert from "node:assert/strict";
import { getModel, promptVersions } from "../../lib/models/store.ts";
import { DEFAULT_PROMPT_TEMPLATE } from "../../lib/predict/prompt.ts";
import { createTestUser } from "../support/auth.ts";
import { chromiumAvailable, saveScreenshot, signInThroughForm, watchProblems } from "./chromium.ts";
import { openBrowserApp, PROMPTED_MODEL } from "./world.ts";

const available = chromiumAvailable("tests/browser/admin_test.ts");

const EDITED_TEMPLATE = DEFAULT_PROMPT_TEMPLATE.replace(
  "Weigh the trend",
  "Say first whether the news is about {{symbol}} itself or about its market.\nWeigh the trend",
);

Deno.test({
  name: "browser: an admin edits a model's prompt in the console",
  ignore: !available,
  fn: async () => {
    await using env = await openBrowserApp();
    const { app, browser, world } = env;
    const { sql } = app.context.db;
    const modelId = world.models.oracle;
    const admin = await createTestUser(app.context, { role: "admin" });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems = watchProblems(page, [`/admin/models/${modelId}`]);
      await page.goto(`${app.url}/login?next=/admin/models`);
      await signInThroughForm(page, admin);
      const path = `/admin/models/${modelId}`;
      const history = page.locator(".prompt-history > li");
      const template = page.getByLabel("Prompt template");

      // The changed prompt is saved as version 2.
      const row = page.getByRole("row").filter({ hasText: PROMPTED_MODEL });
      assert.match(await row.textContent() ?? "", /version 1/);
      await row.getByRole("link", { name: PROMPTED_MODEL }).click();
      await page.waitForURL(`${app.url}${path}`);
      assert.equal(await history.count(), 1);
      assert.match(await history.first().locator("summary").textContent() ?? "", /Version 1/);
      assert.equal(await template.inputValue(), DEFAULT_PROMPT_TEMPLATE);

      await template.fill(EDITED_TEMPLATE);
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForURL(`${app.url}${path}?flash=new-version`);
      assert.match(
        await page.getByRole("status").textContent() ?? "",
        /saved with a new prompt version/,
      );
      assert.equal(await history.count(), 2);
      const newest = history.first();
      assert.match(await newest.locator("summary").textContent() ?? "", /^Version 2\s*current/);
      await newest.locator("summary").click();
      assert.equal(await newest.locator("pre.prompt-text").textContent(), EDITED_TEMPLATE);
      assert.match(await history.nth(1).locator("summary").textContent() ?? "", /^Version 1/);
      assert.equal(await template.inputValue(), EDITED_TEMPLATE);

      const stored = await promptVersions(sql, modelId);
      assert.deepEqual(stored.map((version) => version.version), [2, 1]);
      assert.equal(stored[0].template, EDITED_TEMPLATE);
      assert.equal((await getModel(sql, modelId))?.prompt?.version, 2);
      await saveScreenshot(page, "admin-model-prompt");

      // Saving the same prompt again makes no new version.
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForURL(`${app.url}${path}?flash=saved`);
      assert.equal(await page.getByRole("status").textContent(), "Model saved.");
      assert.equal(await history.count(), 2);
      assert.equal((await promptVersions(sql, modelId)).length, 2);

      // A form with a tampered CSRF token changes nothing.
      await template.fill(`${EDITED_TEMPLATE}\nA forged line.`);
      await page.locator("form:has(textarea) input[name=csrf]")
        .evaluate((input: HTMLInputElement) => {
          input.value = (input.value[0] === "A" ? "B" : "A") + input.value.slice(1);
        });
      const [response] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === "POST"),
        page.getByRole("button", { name: "Save", exact: true }).click(),
      ]);
      assert.equal(response.status(), 403);
      assert.equal((await promptVersions(sql, modelId)).length, 2);
      assert.equal((await getModel(sql, modelId))?.prompt?.template, EDITED_TEMPLATE);

      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  },
});
