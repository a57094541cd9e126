// Who is signed in: the account as every request sees it (never its password hash).

export type Role = "investor" | "admin";

export const ROLES: readonly Role[] = ["investor", "admin"];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface AuthUser {
  id: number;
  email: string;
  role: Role;
  displayName: string | null;
}

/** Whether `user` may do what `role` may: an admin can do everything an investor can. */
export function hasRole(user: AuthUser, role: Role): boolean {
  return role === "investor" || user.role === "admin";
}
