// The only module that writes SQL for `session`: one row per refresh token, rows of one login
// sharing a `family` (migrations/0001_initial.sql). Tokens are only ever stored as hashes.
import type { ISql } from "postgres";
import type { AuthUser } from "./user.ts";
import { type AuthUserRow, toAuthUser } from "./user_store.ts";

export type RevokedReason = "logout" | "reuse_detected" | "admin" | "password_changed" | "expired";

export interface NewSession {
  userId: number;
  family: string;
  tokenHash: string;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

export interface SessionRecord {
  id: number;
  userId: number;
  family: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: RevokedReason | null;
}

interface SessionRow {
  id: number;
  user_id: number;
  family: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: RevokedReason | null;
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    family: row.family,
    expiresAt: row.expires_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
  };
}

export async function insertSession(sql: ISql, session: NewSession): Promise<void> {
  await sql`
    insert into session (user_id, family, refresh_token_hash, expires_at, user_agent, ip)
    values (${session.userId}, ${session.family}, ${session.tokenHash}, ${session.expiresAt},
      ${session.userAgent}, ${session.ip})`;
}

/**
 * Marks the token with this hash as rotated and returns its row — only while it is live (never
 * rotated, not revoked, not expired). One statement, so two refreshes with one token can't both
 * win: the loser gets null and finds the token rotated (reuse).
 */
export async function takeLiveSession(sql: ISql, tokenHash: string): Promise<SessionRecord | null> {
  const [row] = await sql<SessionRow[]>`
    update session set rotated_at = now(), last_used_at = now()
    where refresh_token_hash = ${tokenHash}
      and rotated_at is null and revoked_at is null and expires_at > now()
    returning id, user_id, family, expires_at, rotated_at, revoked_at, revoked_reason`;
  return row ? toRecord(row) : null;
}

export async function findSession(sql: ISql, tokenHash: string): Promise<SessionRecord | null> {
  const [row] = await sql<SessionRow[]>`
    select id, user_id, family, expires_at, rotated_at, revoked_at, revoked_reason from session
    where refresh_token_hash = ${tokenHash}`;
  return row ? toRecord(row) : null;
}

/** Revokes every token of a login; answers how many were still unrevoked. */
export async function revokeFamily(
  sql: ISql,
  family: string,
  reason: RevokedReason,
): Promise<number> {
  const rows = await sql`
    update session set revoked_at = now(), revoked_reason = ${reason}
    where family = ${family} and revoked_at is null
    returning id`;
  return rows.length;
}

export async function revokeUserSessions(
  sql: ISql,
  userId: number,
  reason: RevokedReason,
): Promise<number> {
  const rows = await sql`
    update session set revoked_at = now(), revoked_reason = ${reason}
    where user_id = ${userId} and revoked_at is null
    returning id`;
  return rows.length;
}

/**
 * The user behind an access token, checked on every authenticated request: null once the account
 * is disabled or deleted, or the login (family) is revoked or has no unexpired token left. One
 * indexed query (app_user by id, session by family).
 */
export async function sessionUser(
  sql: ISql,
  userId: number,
  family: string,
): Promise<AuthUser | null> {
  const [row] = await sql<AuthUserRow[]>`
    select u.id, u.email, u.role, u.display_name from app_user u
    where u.id = ${userId} and u.disabled_at is null
      and exists (
        select 1 from session s
        where s.family = ${family} and s.user_id = u.id
          and s.revoked_at is null and s.expires_at > now()
      )`;
  return row ? toAuthUser(row) : null;
}
