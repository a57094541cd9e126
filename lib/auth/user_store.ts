// The only module that writes SQL for `app_user`. Functions take `ISql`, so they run on the pool
// or inside a caller's transaction alike. Emails arrive normalized (email.ts).
import type { ISql } from "postgres";
import type { AuthUser, Role } from "./user.ts";

/** An account as the admin console and `deno task user` list it. */
export interface UserAccount extends AuthUser {
  disabledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** What a login checks: the account, its password hash and whether it may sign in. */
export interface LoginAccount {
  user: AuthUser;
  passwordHash: string;
  disabled: boolean;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  role: Role;
  displayName: string | null;
}

interface UserRow {
  id: number;
  email: string;
  role: Role;
  display_name: string | null;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

/** The columns of an AuthUser, for queries that join app_user (session_store.ts). */
export type AuthUserRow = Pick<UserRow, "id" | "email" | "role" | "display_name">;

export function toAuthUser(row: AuthUserRow): AuthUser {
  return { id: row.id, email: row.email, role: row.role, displayName: row.display_name };
}

function toAccount(row: UserRow): UserAccount {
  return {
    ...toAuthUser(row),
    disabledAt: row.disabled_at,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}

/** Inserts an account; a taken email raises the unique violation `app_user_email_key`. */
export async function insertUser(sql: ISql, user: NewUser): Promise<UserAccount> {
  const [row] = await sql<UserRow[]>`
    insert into app_user (email, password_hash, role, display_name)
    values (${user.email}, ${user.passwordHash}, ${user.role}, ${user.displayName})
    returning id, email, role, display_name, disabled_at, last_login_at, created_at`;
  return toAccount(row);
}

export async function findLoginAccount(sql: ISql, email: string): Promise<LoginAccount | null> {
  const [row] = await sql<(UserRow & { password_hash: string })[]>`
    select id, email, role, display_name, disabled_at, password_hash from app_user
    where email = ${email}`;
  if (!row) return null;
  return { user: toAuthUser(row), passwordHash: row.password_hash, disabled: !!row.disabled_at };
}

export async function getUserByEmail(sql: ISql, email: string): Promise<UserAccount | null> {
  const [row] = await sql<UserRow[]>`
    select id, email, role, display_name, disabled_at, last_login_at, created_at from app_user
    where email = ${email}`;
  return row ? toAccount(row) : null;
}

/** Every account, oldest first. */
export async function listUsers(sql: ISql): Promise<UserAccount[]> {
  const rows = await sql<UserRow[]>`
    select id, email, role, display_name, disabled_at, last_login_at, created_at from app_user
    order by id`;
  return rows.map(toAccount);
}

export async function setUserRole(sql: ISql, id: number, role: Role): Promise<UserAccount | null> {
  const [row] = await sql<UserRow[]>`
    update app_user set role = ${role}, updated_at = now() where id = ${id}
    returning id, email, role, display_name, disabled_at, last_login_at, created_at`;
  return row ? toAccount(row) : null;
}

/** Disables (keeping the first time it was disabled) or enables an account. */
export async function setUserDisabled(
  sql: ISql,
  id: number,
  disabled: boolean,
): Promise<UserAccount | null> {
  const [row] = await sql<UserRow[]>`
    update app_user
    set disabled_at = ${disabled ? sql`coalesce(disabled_at, now())` : null}, updated_at = now()
    where id = ${id}
    returning id, email, role, display_name, disabled_at, last_login_at, created_at`;
  return row ? toAccount(row) : null;
}

/** Stamps a successful login; `passwordHash` replaces the stored one (re-hashed parameters). */
export async function recordLogin(sql: ISql, id: number, passwordHash?: string): Promise<void> {
  if (passwordHash) {
    await sql`
      update app_user set last_login_at = now(), password_hash = ${passwordHash}, updated_at = now()
      where id = ${id}`;
  } else {
    await sql`update app_user set last_login_at = now() where id = ${id}`;
  }
}
