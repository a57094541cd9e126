// The admin API behind requireRole: 401 anonymous, 403 investor, 200 admin; cookie-authenticated
// writes need the CSRF header, bearer ones don't.
import assert from "node:assert/strict";
import { startTestApp } from "../../tests/support/app.ts";
import { bearerHeaders, createTestUser, signIn } from "../../tests/support/auth.ts";
import { SECTIONS } from "../api/router.ts";

Deno.test("admin API sections: 401 anonymous, 403 investor, 200 admin", async () => {
  const app = await startTestApp();
  try {
    const investor = await signIn(app, await createTestUser(app.context));
    const admin = await signIn(app, await createTestUser(app.context, { role: "admin" }));
    const adminPaths = ["/ab-tests", "/jobs", "/models"];
    for (const path of adminPaths) {
      assert.ok(SECTIONS.find((section) => section.path === path)?.admin, path);
      const status = async (headers: Record<string, string>) => {
        const response = await app.app.fetch(
          new Request(`http://localhost/api${path}`, { headers }),
        );
        await response.body?.cancel();
        return response.status;
      };
      assert.equal(await status({}), 401, path);
      assert.equal(await status(bearerHeaders(investor.accessToken)), 403, path);
      assert.equal(await status({ Cookie: investor.cookie }), 403, path);
      assert.equal(await status(bearerHeaders(admin.accessToken)), 200, path);
      assert.equal(await status({ Cookie: admin.cookie }), 200, path);
    }
  } finally {
    await app.close();
  }
});

Deno.test("cookie-authenticated API writes need X-CSRF-Token; bearer ones don't", async () => {
  const app = await startTestApp();
  try {
    const admin = await signIn(app, await createTestUser(app.context, { role: "admin" }));
    let created = 0;
    const create = async (headers: Record<string, string>) => {
      const response = await app.app.fetch(
        new Request("http://localhost/api/models", {
          method: "POST",
          headers: { "Content-Type": "application/json", ...headers },
          body: JSON.stringify({
            name: `trend-${++created}`,
            provider: "builtin",
            modelId: "momentum",
          }),
        }),
      );
      return { status: response.status, body: await response.json() };
    };
    const forged = await create({ Cookie: admin.cookie });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error.code, "csrf_failed");
    assert.equal((await create({ Cookie: admin.cookie, "X-CSRF-Token": "x" })).status, 403);
    assert.equal(
      (await create({ Cookie: admin.cookie, "X-CSRF-Token": admin.csrfToken })).status,
      201,
    );
    assert.equal((await create({ Authorization: `Bearer ${admin.accessToken}` })).status, 201);

    const investor = await signIn(app, await createTestUser(app.context));
    const denied = await create({ Cookie: investor.cookie, "X-CSRF-Token": investor.csrfToken });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, "forbidden");
  } finally {
    await app.close();
  }
});
