// Accounts: roles, disabling (which also ends the account's sessions) and enabling. An admin can't
// demote or disable themself — refused with a message — so the console always keeps one admin.
import { Banner, FlashBanner } from "../../components/admin/FlashBanner.tsx";
import {
  type FormAction,
  formActions,
  formId,
  formText,
  redirectWithFlash,
} from "../../lib/http/form_actions.ts";
import { UserTable } from "../../components/admin/UserTable.tsx";
import { setAccountDisabled } from "../../lib/auth/accounts.ts";
import { assertAdmin } from "../../lib/auth/guards.ts";
import { ROLES } from "../../lib/auth/user.ts";
import { listUsers, setUserRole, type UserAccount } from "../../lib/auth/user_store.ts";
import type { AppContext } from "../../lib/context.ts";
import { define } from "../../lib/fresh/define.ts";
import { BadRequest, NotFound } from "../../lib/http/errors.ts";

const PATH = "/admin/users";

const FLASHES = {
  "role-changed": "Role changed. It applies from the account's next request.",
  disabled: "Account disabled and signed out everywhere.",
  enabled: "Account enabled: it can sign in again.",
};

interface UsersData {
  users: UserAccount[];
  /** Why the last action was refused. */
  refusal: string | null;
}

async function pageData(app: AppContext, refusal: string | null = null): Promise<UsersData> {
  return { users: await listUsers(app.db.sql), refusal };
}

/**
 * An action on another account: `change` returns the account, or null when there is none. Acting
 * on oneself is refused with `refusal`, as a 409 page that lists the accounts again.
 */
function onOtherAccount(
  refusal: string,
  change: (app: AppContext, id: number, form: FormData) => Promise<UserAccount | null>,
  flash: keyof typeof FLASHES,
): FormAction<UsersData> {
  return async (form, ctx) => {
    assertAdmin(ctx.state);
    const { app, user } = ctx.state;
    const id = formId(form, "id");
    if (id === user.id) return ctx.render(await pageData(app, refusal), { status: 409 });
    if (!(await change(app, id, form))) throw new NotFound(`No account ${id}`);
    return redirectWithFlash(PATH, flash);
  };
}

export const handler = define.handlers<UsersData>({
  async GET(_req, ctx) {
    return ctx.render(await pageData(ctx.state.app));
  },
  POST: formActions<UsersData>({
    "set-role": onOtherAccount(
      "You can't change your own role: another admin has to.",
      (app, id, form) => {
        const role = ROLES.find((known) => known === formText(form, "role"));
        if (!role) throw new BadRequest(`role: expected ${ROLES.join(" or ")}`);
        return setUserRole(app.db.sql, id, role);
      },
      "role-changed",
    ),
    disable: onOtherAccount(
      "You can't disable your own account: another admin has to.",
      (app, id) => setAccountDisabled(app.db.sql, id, true),
      "disabled",
    ),
    enable: onOtherAccount(
      "Your own account is enabled: you are using it.",
      (app, id) => setAccountDisabled(app.db.sql, id, false),
      "enabled",
    ),
  }),
});

export default define.page<UsersData>(({ data, url, state }) => {
  assertAdmin(state);
  return (
    <>
      <div class="page-heading">
        <h1>Users</h1>
      </div>
      <FlashBanner url={url} messages={FLASHES} />
      {data.refusal && <Banner tone="error" message={data.refusal} />}
      <UserTable users={data.users} selfId={state.user.id} csrf={state.csrfToken} />
      <p class="muted">
        New accounts: <code>deno task user create EMAIL</code> (add <code>--admin</code>{" "}
        for an admin).
      </p>
    </>
  );
});
