// Logins as sessions: starting one (after a successful sign-in), refreshing it with rotation and
// reuse detection, ending it. A session is a family of refresh tokens (session_store.ts); each
// refresh marks the presented token rotated and issues the next one. A rotated token presented
// again means two parties hold the login — a stolen token or a replay — so the whole family is
// revoked and both are signed out.
import type { AppContext } from "../context.ts";
import { INVALID_TOKEN_CHALLENGE, Unauthorized } from "../http/errors.ts";
import { issueAccessToken } from "./access_token.ts";
import { csrfTokenFor } from "./csrf.ts";
import { isRefreshTokenShaped, newRefreshToken, refreshTokenHash } from "./refresh_token.ts";
import {
  findSession,
  insertSession,
  revokeFamily,
  sessionUser,
  takeLiveSession,
} from "./session_store.ts";
import type { AuthUser } from "./user.ts";

export type SessionApp = Pick<AppContext, "config" | "db" | "authKeys" | "log">;

/** What a sign-in or refresh hands to the client. */
export interface IssuedSession {
  user: AuthUser;
  /** The session family id. */
  session: string;
  accessToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  refreshToken: string;
  /** The CSRF token of cookie-authenticated requests in this session (csrf.ts). */
  csrfToken: string;
}

/** Where a login comes from, kept on its session rows for the account owner and admins. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export class RefreshRejected extends Unauthorized {
  constructor(readonly reason: "unknown" | "expired" | "revoked" | "reused" | "signed_out") {
    super(
      reason === "reused"
        ? "This refresh token was already used: the session has been ended, sign in again"
        : "The refresh token is not valid: sign in again",
      INVALID_TOKEN_CHALLENGE,
      reason === "reused" ? "refresh_token_reused" : "invalid_refresh_token",
    );
  }
}

function refreshExpiry(app: SessionApp): Date {
  return new Date(Date.now() + app.config.auth.refreshTtlDays * 86_400_000);
}

async function issue(
  app: SessionApp,
  user: AuthUser,
  session: string,
  refreshToken: string,
): Promise<IssuedSession> {
  const expiresIn = app.config.auth.accessTtlSeconds;
  return {
    user,
    session,
    accessToken: await issueAccessToken(
      app.authKeys.accessToken,
      { userId: user.id, session },
      expiresIn,
    ),
    expiresIn,
    refreshToken,
    csrfToken: csrfTokenFor(app.authKeys.csrf, { session }),
  };
}

/** Starts a session for a user who just proved who they are. */
export async function startSession(
  app: SessionApp,
  user: AuthUser,
  client: ClientInfo,
): Promise<IssuedSession> {
  const session = crypto.randomUUID();
  const refreshToken = newRefreshToken();
  await insertSession(app.db.sql, {
    userId: user.id,
    family: session,
    tokenHash: await refreshTokenHash(refreshToken),
    expiresAt: refreshExpiry(app),
    userAgent: client.userAgent?.slice(0, 300) ?? null,
    ip: client.ip,
  });
  return await issue(app, user, session, refreshToken);
}

/**
 * Exchanges a live refresh token for a new access and refresh token. Throws `RefreshRejected`
 * (401) otherwise; a token that was already rotated revokes its whole family first.
 */
export async function refreshSession(
  app: SessionApp,
  refreshToken: string,
  client: ClientInfo,
): Promise<IssuedSession> {
  if (!isRefreshTokenShaped(refreshToken)) throw new RefreshRejected("unknown");
  const hash = await refreshTokenHash(refreshToken);
  const next = newRefreshToken();
  const nextHash = await refreshTokenHash(next);
  const { sql } = app.db;
  const rotated = await sql.begin(async (tx) => {
    const current = await takeLiveSession(tx, hash);
    if (!current) return null;
    const user = await sessionUser(tx, current.userId, current.family);
    // A disabled or deleted account: the update above rolls back with the throw.
    if (!user) throw new RefreshRejected("signed_out");
    await insertSession(tx, {
      userId: user.id,
      family: current.family,
      tokenHash: nextHash,
      expiresAt: refreshExpiry(app),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
    });
    return { user, session: current.family };
  });
  if (rotated) return await issue(app, rotated.user, rotated.session, next);

  const known = await findSession(sql, hash);
  if (!known) throw new RefreshRejected("unknown");
  if (known.rotatedAt && !known.revokedAt) {
    await revokeFamily(sql, known.family, "reuse_detected");
    app.log.warn("refresh token reuse detected: session revoked", {
      userId: known.userId,
      session: known.family,
      ip: client.ip,
    });
    throw new RefreshRejected("reused");
  }
  throw new RefreshRejected(known.revokedAt ? "revoked" : "expired");
}

/** Ends a session: its refresh tokens stop working, and its access tokens at their next use. */
export async function endSession(app: SessionApp, session: string): Promise<void> {
  await revokeFamily(app.db.sql, session, "logout");
}

/** The session family a refresh token belongs to, if it is one of ours. */
export async function sessionOfRefreshToken(
  app: SessionApp,
  refreshToken: string,
): Promise<string | null> {
  if (!isRefreshTokenShaped(refreshToken)) return null;
  return (await findSession(app.db.sql, await refreshTokenHash(refreshToken)))?.family ?? null;
}
