// The header's account corner: a sign-in link for visitors; who is signed in and a sign-out
// button (a POST with the CSRF token: signing out must not be triggerable by a link) otherwise.
import { loginPath } from "../lib/auth/next_path.ts";
import type { AuthUser } from "../lib/auth/user.ts";
import { CsrfField } from "./CsrfField.tsx";

export interface UserMenuProps {
  user: AuthUser | null;
  csrfToken: string;
  /** The current page (path and query), to come back to after signing in. */
  here: string;
}

export function UserMenu({ user, csrfToken, here }: UserMenuProps) {
  if (!user) {
    const href = here.startsWith("/login") ? "/login" : loginPath(here);
    return <a class="user-menu sign-in" href={href}>Sign in</a>;
  }
  return (
    <div class="user-menu">
      <span class="user-who">
        {user.displayName && <span class="user-name">{user.displayName}</span>}
        <span class="user-email">{user.email}</span>
        <span class="badge user-role">{user.role}</span>
      </span>
      <form method="post" action="/logout">
        <CsrfField token={csrfToken} />
        <button type="submit">Sign out</button>
      </form>
    </div>
  );
}
