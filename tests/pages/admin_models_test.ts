// /admin/models as an admin: the list, a new model through the form, editing (a changed prompt
// makes a new version), problems per field, escaping, and test runs — a built-in's forecast, an
// LLM without an API key, an LLM behind a local chat-completions server — that store nothing.
import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config.ts";
import type { Database } from "../../lib/db/port.ts";
import { upsertPriceBars } from "../../lib/market/store.ts";
import { DEFAULT_MODELS } from "../../lib/models/defaults.ts";
import {
  createModel,
  getModel,
  getModelByName,
  type ModelFields,
  promptVersions,
} from "../../lib/models/store.ts";
import { DEFAULT_PROMPT_TEMPLATE } from "../../lib/predict/prompt.ts";
import { upsertStocks } from "../../lib/stocks/store.ts";
import { openTestDatabase } from "../support/database.ts";
import { testBar } from "../support/fixtures.ts";
import { completion, withChatServer } from "../support/llm_server.ts";
import { withPages } from "../support/pages.ts";
import { assertFlashRedirect, createAdmin, fieldErrors, postForm, submit } from "./admin_forms.ts";

const MOMENTUM = DEFAULT_MODELS.find((model) => model.modelId === "momentum")!;
const GPT = DEFAULT_MODELS.find((model) => model.provider === "openai")!;

/** The form fields of `model` as its edit form posts them. */
function modelForm(
  model: ModelFields,
  changes: Record<string, string> = {},
): Record<string, string> {
  return {
    name: model.name,
    modelId: model.modelId,
    description: model.description ?? "",
    params: JSON.stringify(model.params),
    knowledgeCutoff: model.knowledgeCutoff ?? "",
    active: "on",
    inputTokenCost: String(model.inputTokenCost),
    outputTokenCost: String(model.outputTokenCost),
    dailyCapUsd: model.dailyCapUsd === null ? "" : String(model.dailyCapUsd),
    promptTemplate: model.promptTemplate ?? "",
    ...changes,
  };
}

/** AAPL with 40 weekday closes drifting up from 100 in 2024. */
async function seedPrices(db: Database): Promise<void> {
  const [apple] = await upsertStocks(db.sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc." },
  ]);
  const day = new Date("2024-03-01T00:00:00Z");
  const bars = [];
  for (let i = 0; i < 40; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    bars.push(testBar(day.toISOString().slice(0, 10), 100 + i + (i % 3)));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  await upsertPriceBars(db.sql, apple, bars, "test");
}

async function predictionCount(db: Database): Promise<number> {
  const [{ n }] = await db.sql<{ n: number }[]>`
    select (select count(*) from prediction) + (select count(*) from prediction_attempt) as n`;
  return Number(n);
}

Deno.test("admin models: a new LLM model from the form, with the default prompt and its variables", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const form = await page("/admin/models/new");
    assert.equal(form.status, 200);
    assert.match(form.html, /<option value="openai" selected>openai<\/option>/);
    assert.match(form.html, /<dt><code>\{\{output_schema\}\}<\/code><\/dt><dd>The JSON object/);
    assert.match(form.html, /<textarea id="model-promptTemplate" name="promptTemplate"/);
    assert.ok(form.html.includes("Stock: {{symbol}} ({{name}})"), "the default template");

    const created = await submit(page, "/admin/models/new", "create", {
      ...modelForm({ ...GPT, name: "gpt-test" }),
      provider: "openai",
      // As a browser sends a textarea: CRLF line breaks.
      promptTemplate: DEFAULT_PROMPT_TEMPLATE.replaceAll("\n", "\r\n"),
    });
    const model = await getModelByName(db.sql, "gpt-test");
    assert.ok(model);
    assertFlashRedirect(created, `/admin/models/${model.id}`, "created");
    assert.equal(model.prompt?.template, DEFAULT_PROMPT_TEMPLATE);
    assert.equal(model.dailyCapUsd, 5);
    assert.equal(model.inputTokenCost, 2.5e-6);

    const list = await page("/admin/models");
    assert.match(list.html, new RegExp(`<a href="/admin/models/${model.id}">gpt-test</a>`));
    assert.match(list.html, /<td>version 1<\/td>/);
    const edit = await page(`/admin/models/${model.id}?flash=created`);
    assert.match(edit.html, /role="status">Model created\.<\/p>/);
    assert.match(edit.html, /Version 1<span class="badge badge-live">current<\/span>/);
  }, { user: admin });
});

Deno.test("admin models: a changed prompt saves a new version; an unchanged one does not", async () => {
  await using db = await openTestDatabase();
  const model = await createModel(db.sql, GPT);
  const admin = await createAdmin(db);
  const path = `/admin/models/${model.id}`;
  await withPages({ db }, async (page) => {
    const unchanged = await submit(
      page,
      path,
      "save",
      modelForm(GPT, {
        promptTemplate: GPT.promptTemplate!.replaceAll("\n", "\r\n"),
        description: "Same prompt, new words",
      }),
    );
    assertFlashRedirect(unchanged, path, "saved");
    assert.equal((await promptVersions(db.sql, model.id)).length, 1);
    assert.equal((await getModel(db.sql, model.id))?.description, "Same prompt, new words");

    const changed = await submit(
      page,
      path,
      "save",
      modelForm(GPT, {
        promptTemplate: `Be brief.\n${GPT.promptTemplate}`,
      }),
    );
    assertFlashRedirect(changed, path, "new-version");
    const versions = await promptVersions(db.sql, model.id);
    assert.deepEqual(versions.map((version) => version.version), [2, 1]);

    const { html } = await page(`${path}?flash=new-version`);
    // The line break after <textarea> is eaten by the HTML parser, so the template's own survives.
    assert.ok(
      html.includes(`aria-describedby="model-promptTemplate-hint">\nBe brief.\n`),
      "the textarea posts the template back",
    );
    assert.match(html, /role="status">Model saved with a new prompt version/);
    assert.match(html, /Version 2<span class="badge badge-live">current<\/span>/);
    assert.match(html, /Version 1 <code title="[0-9a-f]{64}">[0-9a-f]{12}<\/code>/);
    assert.ok(html.includes(`<code title="${versions[1].hash}">${versions[1].hash.slice(0, 12)}`));
  }, { user: admin });
});

Deno.test("admin models: problems are listed per field, nothing is saved, text is escaped", async () => {
  await using db = await openTestDatabase();
  const model = await createModel(db.sql, GPT);
  await createModel(db.sql, MOMENTUM);
  const admin = await createAdmin(db);
  const path = `/admin/models/${model.id}`;
  await withPages({ db }, async (page) => {
    const { status, html } = await submit(
      page,
      path,
      "save",
      modelForm(GPT, {
        name: "",
        params: "{temperature: 0",
        inputTokenCost: "-1",
        dailyCapUsd: "",
        description: "<script>alert(1)</script>",
        promptTemplate: "Guess {{nope}}.",
      }),
    );
    assert.equal(status, 422);
    assert.match(fieldErrors(html, "model-name"), /expected 1–80 letters/);
    assert.match(fieldErrors(html, "model-params"), /expected a JSON object/);
    assert.match(fieldErrors(html, "model-inputTokenCost"), /expected a non-negative number/);
    const prompt = fieldErrors(html, "model-promptTemplate");
    assert.match(prompt, /unknown variable \{\{nope\}\} on line 1/);
    assert.match(prompt, /\{\{output_schema\}\} is missing/);
    assert.match(html, /rows="2">\n&lt;script>alert\(1\)&lt;\/script><\/textarea>/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.deepEqual(await getModel(db.sql, model.id), model);

    const taken = await submit(page, path, "save", modelForm(GPT, { name: MOMENTUM.name }));
    assert.equal(taken.status, 422);
    assert.match(fieldErrors(taken.html, "model-name"), /another model has this name/);

    const noToken = await postForm(page, path, { intent: "save", ...modelForm(GPT) });
    assert.equal(noToken.status, 403);
  }, { user: admin });
});

Deno.test("admin models: a built-in model's test run shows its forecast and stores nothing", async () => {
  await using db = await openTestDatabase();
  await seedPrices(db);
  const model = await createModel(db.sql, MOMENTUM);
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const path = `/admin/models/${model.id}`;
    const form = await page(path);
    assert.doesNotMatch(form.html, /Prompt versions/);
    const { status, html } = await submit(page, path, "test-run", { symbol: "AAPL", horizon: "1" });
    assert.equal(status, 200);
    assert.match(html, /AAPL, 1 trading day ahead, as of its latest close <time/);
    assert.match(html, /Shown 40 daily bars, 0 news items and 0 similar past items/);
    assert.match(html, /<dt>Direction<\/dt><dd><span class="direction direction-up">/);
    assert.match(html, /20-day return \+/);
    assert.equal(await predictionCount(db), 0);

    const noStock = await submit(page, path, "test-run", { symbol: "NOPE", horizon: "1" });
    assert.equal(noStock.status, 422);
    assert.match(fieldErrors(noStock.html, "test-run-symbol"), /choose a stock/);
  }, { user: admin });
});

Deno.test("admin models: an LLM test run without an API key says so and shows the prompt", async () => {
  await using db = await openTestDatabase();
  await seedPrices(db);
  const model = await createModel(db.sql, GPT);
  const admin = await createAdmin(db);
  await withPages({ db, config: loadConfig({}) }, async (page) => {
    const path = `/admin/models/${model.id}`;
    const { status, html } = await submit(page, path, "test-run", { symbol: "AAPL", horizon: "5" });
    assert.equal(status, 200);
    assert.match(html, /No API key for openai: set OPENAI_API_KEY to test-run this model/);
    assert.match(html, /<summary>The prompt sent<\/summary>/);
    assert.match(html, /Stock: AAPL \(Apple Inc\.\), NASDAQ, equity/);
    assert.match(html, /- &quot;horizon&quot;: 5|- "horizon": 5/);
  }, { user: admin });
});

Deno.test("admin models: an LLM test run shows the raw answer, the forecast, tokens and cost", async () => {
  await using db = await openTestDatabase();
  await seedPrices(db);
  const model = await createModel(db.sql, GPT);
  const admin = await createAdmin(db);
  const answer = JSON.stringify({
    direction: "down",
    confidence: 0.61,
    horizon: 1,
    reasoning: "RSI14 is stretched <b>high</b>.",
    citedNewsIds: [],
  });
  await withChatServer([completion(answer)], async (baseURL, seen) => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test-0123456789abcdefghij",
      OPENAI_BASE_URL: baseURL,
    });
    await withPages({ db, config }, async (page) => {
      const path = `/admin/models/${model.id}`;
      const { status, html } = await submit(page, path, "test-run", {
        symbol: "AAPL",
        horizon: "1",
      });
      assert.equal(status, 200);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].body.model, "gpt-4o");
      assert.match(seen[0].body.messages[1].content, /^Stock: AAPL \(Apple Inc\.\)/);
      const raw = /<pre class="raw-answer">(.*?)<\/pre>/s.exec(html)?.[1];
      assert.ok(raw?.includes("RSI14 is stretched &lt;b>high&lt;/b>."), raw);
      assert.match(html, /<h4>Forecast<\/h4>/);
      assert.match(html, /<span class="direction direction-down">/);
      assert.match(html, /<dd>61%<\/dd>/);
      // 100 input tokens × $2.50/M + 20 output tokens × $10/M.
      assert.match(html, /100 input tokens, 20 output tokens, cost \$0\.000450/);
      assert.equal(await predictionCount(db), 0);
    }, { user: admin });
  });
});

Deno.test("admin models: an invalid LLM answer is shown raw with why it was rejected", async () => {
  await using db = await openTestDatabase();
  await seedPrices(db);
  const model = await createModel(db.sql, GPT);
  const admin = await createAdmin(db);
  await withChatServer([completion("Probably up, I think.")], async (baseURL) => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test-0123456789abcdefghij",
      OPENAI_BASE_URL: baseURL,
    });
    await withPages({ db, config }, async (page) => {
      const { html } = await submit(page, `/admin/models/${model.id}`, "test-run", {
        symbol: "AAPL",
        horizon: "1",
      });
      assert.match(html, /<pre class="raw-answer">Probably up, I think\.<\/pre>/);
      assert.match(html, /<h4>Rejected<\/h4><p class="error-text">invalid answer after 2 attempts/);
      assert.match(html, /2 attempts\./);
      assert.equal(await predictionCount(db), 0);
    }, { user: admin });
  });
});
