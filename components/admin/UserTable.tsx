// The accounts: email, name, role, whether disabled, last login, and buttons to change the role or
// disable and enable. The signed-in admin's own row offers neither demotion nor disabling (the
// server refuses them too): an admin can't lock themself out.
import type { UserAccount } from "../../lib/auth/user_store.ts";
import { UtcTime } from "../UtcTime.tsx";
import { PostButton } from "./PostForm.tsx";

export function UserTable(
  { users, selfId, csrf }: { users: readonly UserAccount[]; selfId: number; csrf: string },
) {
  const button = (user: UserAccount, intent: string, label: string, fields = {}) => (
    <PostButton
      action="/admin/users"
      intent={intent}
      csrf={csrf}
      fields={{ id: String(user.id), ...fields }}
      label={label}
      subject={user.email}
      danger={intent === "disable"}
    />
  );
  return (
    <div class="table-scroll">
      <table class="data-table admin-table">
        <caption class="visually-hidden">Accounts</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Last login</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row">
                {user.email}
                {user.id === selfId && <span class="muted">(you)</span>}
              </th>
              <td>{user.displayName}</td>
              <td>{user.role}</td>
              <td>
                {user.disabledAt
                  ? (
                    <>
                      Disabled since <UtcTime date={user.disabledAt} />
                    </>
                  )
                  : "Active"}
              </td>
              <td>
                {user.lastLoginAt
                  ? <UtcTime date={user.lastLoginAt} />
                  : <span class="muted">never</span>}
              </td>
              <td class="actions">
                {user.id !== selfId && (
                  <>
                    {user.role === "admin"
                      ? button(user, "set-role", "Make investor", { role: "investor" })
                      : button(user, "set-role", "Make admin", { role: "admin" })}
                    {user.disabledAt
                      ? button(user, "enable", "Enable")
                      : button(user, "disable", "Disable")}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
