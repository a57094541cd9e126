// /admin/experiments as an admin: creating a draft from the variants table, problems per field,
// starting and stopping (never back), the link to the results, CSRF refusals, escaping.
import assert from "node:assert/strict";
import { getExperiment, listExperiments } from "../../lib/experiments/store.ts";
import { openTestDatabase } from "../support/database.ts";
import { addTestModels } from "../support/predictions.ts";
import { withPages } from "../support/pages.ts";
import { assertFlashRedirect, createAdmin, fieldErrors, postForm, submit } from "./admin_forms.ts";

const PATH = "/admin/experiments";

/** The create form's fields: variant rows as the table posts them (blank rows included). */
function draftForm(
  fields: Record<string, string>,
  rows: [name: string, modelId: string, weight: string][],
): [string, string][] {
  return [
    ...Object.entries(fields),
    ...rows.flatMap(([name, modelId, weight]): [string, string][] => [
      ["variantName", name],
      ["variantModel", modelId],
      ["variantWeight", weight],
    ]),
  ];
}

Deno.test("admin experiments: a draft from the variants table, started, stopped, never restarted", async () => {
  await using db = await openTestDatabase();
  const [alpha, beta] = await addTestModels(db.sql, [{ name: "alpha" }, { name: "beta" }]);
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const empty = await page(PATH);
    assert.equal(empty.status, 200);
    assert.match(empty.html, /<option value selected>— none —<\/option>/);
    assert.equal(empty.html.match(/name="variantModel"/g)?.length, 4);

    const created = await submit(
      page,
      PATH,
      "create",
      draftForm(
        {
          name: "Momentum vs <script>",
          description: "Which one wins?",
          assignBy: "stock",
          startsAt: "2024-01-01",
          endsAt: "",
        },
        [["A", String(alpha), "1"], ["B", String(beta), "3"], ["C", "", "1"], ["D", "", "1"]],
      ),
    );
    assertFlashRedirect(created, PATH, "created");
    const [draft] = await listExperiments(db.sql);
    assert.equal(draft.status, "draft");
    assert.deepEqual(draft.variants, [
      { name: "A", modelId: alpha, weight: 1 },
      { name: "B", modelId: beta, weight: 3 },
    ]);
    assert.deepEqual(draft.startsAt, new Date("2024-01-01T00:00:00Z"));

    const list = await page(`${PATH}?flash=created`);
    assert.match(list.html, /role="status">Draft created\./);
    assert.match(
      list.html,
      new RegExp(`<a href="/experiments/${draft.id}">Momentum vs &lt;script></a>`),
    );
    assert.match(list.html, /<li>B: beta × 3<\/li>/);
    assert.match(list.html, /Start<span class="visually-hidden"> Momentum vs &lt;script><\/span>/);
    assert.doesNotMatch(list.html, /<script>/);

    assertFlashRedirect(
      await submit(page, PATH, "start", { id: String(draft.id) }),
      PATH,
      "started",
    );
    assert.equal((await getExperiment(db.sql, draft.id))?.status, "running");
    assertFlashRedirect(
      await submit(page, PATH, "stop", { id: String(draft.id) }),
      PATH,
      "stopped",
    );
    assert.equal((await getExperiment(db.sql, draft.id))?.status, "stopped");

    const restart = await submit(page, PATH, "start", { id: String(draft.id) });
    assert.equal(restart.status, 409);
    assert.match(
      restart.html,
      /role="alert">Momentum vs &lt;script> is stopped and cannot become running/,
    );
    assert.equal((await getExperiment(db.sql, draft.id))?.status, "stopped");
    assert.doesNotMatch(restart.html, /visually-hidden"> Momentum vs/, "no move offered any more");
  }, { user: admin });
});

Deno.test("admin experiments: problems are listed per field and the rows typed are kept", async () => {
  await using db = await openTestDatabase();
  const [alpha] = await addTestModels(db.sql, [{ name: "alpha" }]);
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const { status, html } = await submit(
      page,
      PATH,
      "create",
      draftForm(
        { name: " ", assignBy: "planet", startsAt: "2030-02-01", endsAt: "2030-01-01" },
        [["A", String(alpha), "0"], ["B", "", "1"]],
      ),
    );
    assert.equal(status, 422);
    assert.match(fieldErrors(html, "experiment-name"), /expected 1–100 characters/);
    assert.match(fieldErrors(html, "experiment-assignBy"), /expected one of stock, user/);
    assert.match(fieldErrors(html, "experiment-endsAt"), /must be after startsAt/);
    const variants = /<ul class="field-errors" id="variants-errors">(.*?)<\/ul>/s.exec(html)?.[1];
    assert.match(variants ?? "", /at least 2 variants are needed, got 1/);
    assert.match(variants ?? "", /variant 1: weight must be a positive finite number, got 0/);
    assert.match(html, new RegExp(`<option value="${alpha}" selected>alpha</option>`));
    assert.match(html, /name="variantWeight" type="number" min="0" step="any" value="0"/);
    assert.equal((await listExperiments(db.sql)).length, 0);
  }, { user: admin });
});

Deno.test("admin experiments: posts without the page's CSRF token are refused", async () => {
  await using db = await openTestDatabase();
  const [alpha, beta] = await addTestModels(db.sql, [{ name: "alpha" }, { name: "beta" }]);
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const fields = draftForm({ intent: "create", name: "x", assignBy: "stock" }, [
      ["A", String(alpha), "1"],
      ["B", String(beta), "1"],
    ]);
    assert.equal((await postForm(page, PATH, fields)).status, 403);
    assert.equal((await postForm(page, PATH, [["csrf", "forged"], ...fields])).status, 403);
    assert.equal((await listExperiments(db.sql)).length, 0);
  }, { user: admin });
});
