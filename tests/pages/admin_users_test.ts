// /admin/users as an admin: the accounts (escaped), role changes, disabling (which ends the
// account's sessions) and enabling; an admin can't demote or disable themself; CSRF refusals.
import assert from "node:assert/strict";
import { getUserByEmail } from "../../lib/auth/user_store.ts";
import type { Database } from "../../lib/db/port.ts";
import { createTestUser } from "../support/auth.ts";
import { openTestDatabase } from "../support/database.ts";
import { withPages } from "../support/pages.ts";
import { assertFlashRedirect, createAdmin, postForm, submit } from "./admin_forms.ts";

const PATH = "/admin/users";

/** A live login of `userId`, as a sign-in leaves it. */
async function addSession(db: Database, userId: number): Promise<void> {
  await db.sql`
    insert into session (user_id, family, refresh_token_hash, expires_at)
    values (${userId}, ${crypto.randomUUID()}, ${crypto.randomUUID()}, now() + interval '1 day')`;
}

Deno.test("admin users: lists accounts, escaped, with no self-demotion buttons", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await createTestUser({ db }, { email: "<script>@example.com", displayName: "<b>Eve</b>" });
  await withPages({ db }, async (page) => {
    const { status, html } = await page(PATH);
    assert.equal(status, 200);
    assert.match(html, /<th scope="row">&lt;script>@example\.com<\/th><td>&lt;b>Eve&lt;\/b><\/td>/);
    assert.doesNotMatch(html, /<script>@|<b>Eve/);
    assert.match(html, /admin@example\.com<span class="muted">\(you\)<\/span>/);
    assert.match(html, /Make admin<span class="visually-hidden"> &lt;script>@example\.com/);
    assert.doesNotMatch(html, /visually-hidden"> admin@example\.com/);
    assert.match(html, /<td><span class="muted">never<\/span><\/td>/);
  }, { user: admin });
});

Deno.test("admin users: roles change; disabling ends the account's sessions; enabling undoes it", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  const eve = await createTestUser({ db }, { email: "eve@example.com" });
  await addSession(db, eve.id);
  await withPages({ db }, async (page) => {
    const id = String(eve.id);
    assertFlashRedirect(
      await submit(page, PATH, "set-role", { id, role: "admin" }),
      PATH,
      "role-changed",
    );
    assert.equal((await getUserByEmail(db.sql, eve.email))?.role, "admin");
    await submit(page, PATH, "set-role", { id, role: "investor" });
    assert.equal((await getUserByEmail(db.sql, eve.email))?.role, "investor");
    assert.equal((await submit(page, PATH, "set-role", { id, role: "owner" })).status, 400);

    assertFlashRedirect(await submit(page, PATH, "disable", { id }), PATH, "disabled");
    assert.ok((await getUserByEmail(db.sql, eve.email))?.disabledAt);
    const sessions = await db.sql<{ revoked_reason: string | null }[]>`
      select revoked_reason from session where user_id = ${eve.id}`;
    assert.deepEqual(sessions.map((row) => row.revoked_reason), ["admin"]);
    const { html } = await page(`${PATH}?flash=disabled`);
    assert.match(html, /role="status">Account disabled and signed out everywhere\./);
    assert.match(html, /Disabled since <time/);

    assertFlashRedirect(await submit(page, PATH, "enable", { id }), PATH, "enabled");
    assert.equal((await getUserByEmail(db.sql, eve.email))?.disabledAt, null);
    assert.equal((await submit(page, PATH, "disable", { id: "999999" })).status, 404);
  }, { user: admin });
});

Deno.test("admin users: an admin can't demote or disable themself", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  await withPages({ db }, async (page) => {
    const id = String(admin.id);
    const demote = await submit(page, PATH, "set-role", { id, role: "investor" });
    assert.equal(demote.status, 409);
    assert.match(demote.html, /role="alert">You can't change your own role: another admin has to/);
    const disable = await submit(page, PATH, "disable", { id });
    assert.equal(disable.status, 409);
    assert.match(disable.html, /disable your own account: another admin has to/);
    const self = await getUserByEmail(db.sql, admin.email);
    assert.equal(self?.role, "admin");
    assert.equal(self?.disabledAt, null);
  }, { user: admin });
});

Deno.test("admin users: posts without the page's CSRF token are refused; investors get 403", async () => {
  await using db = await openTestDatabase();
  const admin = await createAdmin(db);
  const eve = await createTestUser({ db }, { email: "eve@example.com" });
  await withPages({ db }, async (page) => {
    const forged = await postForm(page, PATH, { intent: "disable", id: String(eve.id) });
    assert.equal(forged.status, 403);
    assert.equal((await getUserByEmail(db.sql, eve.email))?.disabledAt, null);
  }, { user: admin });
  await withPages({ db }, async (page) => {
    assert.equal((await page(PATH)).status, 403);
  }, { user: eve });
});
