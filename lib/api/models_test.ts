// /api/models and /api/ab-tests over HTTP: admin only, validation naming every problem, prompt
// versions on edit, 409s for taken names and illegal status moves.
import assert from "node:assert/strict";
import { type AdminTestApp, startAdminTestApp } from "../../tests/support/admin.ts";
import { DEFAULT_PROMPT_TEMPLATE } from "../predict/prompt.ts";

async function call(app: AdminTestApp, method: string, path: string, body?: unknown) {
  const response = await fetch(`${app.url}/api${path}`, {
    method,
    headers: app.adminHeaders,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const LLM = {
  name: "claude",
  provider: "openrouter",
  modelId: "anthropic/claude-3.5-haiku",
  params: { temperature: 0.2, maxTokens: 800 },
  knowledgeCutoff: "2024-07-01",
  inputTokenCost: 0.8e-6,
  outputTokenCost: 4e-6,
  dailyCapUsd: 2,
  promptTemplate: DEFAULT_PROMPT_TEMPLATE,
};

Deno.test("/api/models", async (t) => {
  const app = await startAdminTestApp();
  try {
    await t.step("without an access token: 401", async () => {
      const response = await fetch(`${app.url}/api/models`);
      assert.equal(response.status, 401);
      await response.body?.cancel();
    });

    let id = 0;
    await t.step("create an LLM model with version 1 of its prompt", async () => {
      const { status, body } = await call(app, "POST", "/models", LLM);
      assert.equal(status, 201, JSON.stringify(body));
      id = body.model.id;
      assert.equal(body.model.prompt.version, 1);
      assert.match(body.model.prompt.hash, /^[0-9a-f]{64}$/);
      assert.equal(body.model.knowledgeCutoff, "2024-07-01");
      assert.equal(body.model.active, true);
    });

    await t.step("editing the prompt makes version 2; other edits keep the version", async () => {
      const edited = await call(app, "PATCH", `/models/${id}`, {
        promptTemplate: `${DEFAULT_PROMPT_TEMPLATE}\nBe brief.`,
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.model.prompt.version, 2);
      const capped = await call(app, "PATCH", `/models/${id}`, { dailyCapUsd: 3 });
      assert.equal(capped.body.model.prompt.version, 2);
      assert.equal(capped.body.model.dailyCapUsd, 3);
      const { body } = await call(app, "GET", `/models/${id}/prompts`);
      assert.deepEqual(body.prompts.map((p: { version: number }) => p.version), [2, 1]);
    });

    await t.step("bad input lists every problem, naming the field or variable", async () => {
      const cases: [unknown, RegExp][] = [
        [
          { ...LLM, name: "x2", promptTemplate: "Predict {{symbol}} using {{sentiment}}" },
          /\{\{sentiment\}\}/,
        ],
        [
          { ...LLM, name: "x3", provider: "anthropic" },
          /provider: expected one of builtin, openai, openrouter/,
        ],
        [{ ...LLM, name: "x4", params: { temperature: 5 } }, /params.temperature/],
        [{ ...LLM, name: "x5", params: { topK: 1 } }, /params.topK: unknown/],
        [{ ...LLM, name: "x6", knowledgeCutoff: "last year" }, /knowledgeCutoff/],
        [{ ...LLM, name: "x7", dailyCapUsd: -1 }, /dailyCapUsd/],
        [{ ...LLM, name: "x8", promptTemplate: null }, /needs a prompt template/],
        [{ name: "b", provider: "builtin", modelId: "crystal-ball" }, /crystal-ball/],
        [
          { name: "b", provider: "builtin", modelId: "momentum", promptTemplate: "x" },
          /take no prompt/,
        ],
        [{ ...LLM, name: "x9", colour: "red" }, /colour: unknown field/],
        ["not an object", /JSON object/],
      ];
      for (const [body, message] of cases) {
        const response = await call(app, "POST", "/models", body);
        assert.equal(response.status, 400, JSON.stringify(body));
        const text = JSON.stringify(response.body.error);
        assert.match(text, message, text);
      }
    });

    await t.step("a taken name is a 409; an unknown model a 404", async () => {
      assert.equal((await call(app, "POST", "/models", LLM)).status, 409);
      assert.equal((await call(app, "GET", "/models/999999")).status, 404);
      assert.equal((await call(app, "PATCH", "/models/abc", {})).status, 400);
    });

    await t.step("the provider of a model cannot change", async () => {
      const { status } = await call(app, "PATCH", `/models/${id}`, { provider: "openai" });
      assert.equal(status, 400);
    });
  } finally {
    await app.close();
  }
});

Deno.test("/api/ab-tests", async (t) => {
  const app = await startAdminTestApp();
  try {
    const model = async (name: string, modelId: string) =>
      (await call(app, "POST", "/models", { name, provider: "builtin", modelId })).body.model.id;
    const a = await model("trend", "momentum");
    const b = await model("tone", "news-tone");
    const experiment = {
      name: "trend vs tone",
      variants: [{ name: "A", modelId: a, weight: 1 }, { name: "B", modelId: b, weight: 1 }],
    };
    let id = 0;

    await t.step("create a draft, edit it", async () => {
      const created = await call(app, "POST", "/ab-tests", experiment);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      id = created.body.experiment.id;
      assert.equal(created.body.experiment.status, "draft");
      assert.equal(created.body.experiment.assignBy, "stock");
      const edited = await call(app, "PATCH", `/ab-tests/${id}`, { description: "first try" });
      assert.equal(edited.body.experiment.description, "first try");
    });

    await t.step("bad variants are 400s naming the problem", async () => {
      const cases: [unknown, RegExp][] = [
        [{ ...experiment, name: "one", variants: [experiment.variants[0]] }, /at least 2 variants/],
        [{
          ...experiment,
          name: "w",
          variants: [{ ...experiment.variants[0], weight: 0 }, experiment.variants[1]],
        }, /weight/],
        [{
          ...experiment,
          name: "m",
          variants: [experiment.variants[0], { name: "C", modelId: 424242, weight: 1 }],
        }, /no model 424242/],
        [
          { ...experiment, name: "d", startsAt: "2024-02-01", endsAt: "2024-01-01" },
          /endsAt: must be after startsAt/,
        ],
      ];
      for (const [body, message] of cases) {
        const response = await call(app, "POST", "/ab-tests", body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.match(JSON.stringify(response.body.error), message);
      }
    });

    await t.step("draft → running → stopped; nothing else, and no edits after start", async () => {
      assert.equal((await call(app, "POST", `/ab-tests/${id}/stop`)).status, 409);
      const started = await call(app, "POST", `/ab-tests/${id}/start`);
      assert.equal(started.body.experiment.status, "running");
      assert.ok(started.body.experiment.startsAt);
      assert.equal((await call(app, "PATCH", `/ab-tests/${id}`, { name: "renamed" })).status, 409);
      assert.equal((await call(app, "DELETE", `/ab-tests/${id}`)).status, 409);
      assert.equal((await call(app, "POST", `/ab-tests/${id}/start`)).status, 409);
      const stopped = await call(app, "POST", `/ab-tests/${id}/stop`);
      assert.equal(stopped.body.experiment.status, "stopped");
      assert.ok(stopped.body.experiment.endsAt);
      const { body } = await call(app, "GET", `/ab-tests/${id}`);
      assert.deepEqual(body.results, [], "no predictions under it yet");
    });

    await t.step("a draft can be deleted", async () => {
      const draft = await call(app, "POST", "/ab-tests", { ...experiment, name: "scratch" });
      assert.equal(
        (await call(app, "DELETE", `/ab-tests/${draft.body.experiment.id}`)).status,
        204,
      );
      assert.equal((await call(app, "GET", `/ab-tests/${draft.body.experiment.id}`)).status, 404);
    });
  } finally {
    await app.close();
  }
});

Deno.test("/api/ab-tests: odd periods never break a start or a stop", async () => {
  const app = await startAdminTestApp();
  try {
    const model = async (name: string, modelId: string) =>
      (await call(app, "POST", "/models", { name, provider: "builtin", modelId })).body.model.id;
    const variants = [
      { name: "A", modelId: await model("m1", "momentum"), weight: 1 },
      { name: "B", modelId: await model("m2", "news-tone"), weight: 1 },
    ];
    const future = { startsAt: "2099-01-01", endsAt: "2099-02-01" };
    const early = (await call(app, "POST", "/ab-tests", { name: "future", variants, ...future }))
      .body.experiment.id;
    assert.equal((await call(app, "POST", `/ab-tests/${early}/start`)).status, 200);
    const stopped = await call(app, "POST", `/ab-tests/${early}/stop`);
    assert.equal(stopped.status, 200, "stopped before its start");
    assert.ok(stopped.body.experiment.endsAt > stopped.body.experiment.startsAt);

    const past =
      (await call(app, "POST", "/ab-tests", { name: "past", variants, endsAt: "2020-01-01" }))
        .body.experiment.id;
    const started = await call(app, "POST", `/ab-tests/${past}/start`);
    assert.equal(started.status, 200, "a draft whose end already passed");
    assert.ok(started.body.experiment.startsAt < started.body.experiment.endsAt);
  } finally {
    await app.close();
  }
});
