// Who a request comes from: a bearer access token (API clients) or the access cookie (browsers),
// checked for signature, issuer, audience and expiry, then against the database — the account
// must still be enabled and the login not revoked — so a disabled or deleted user's tokens and a
// logged-out session stop working at the next request.
import type { AppContext } from "../context.ts";
import { checkAccessToken } from "./access_token.ts";
import { ACCESS_COOKIE, readCookie } from "./cookies.ts";
import { sessionUser } from "./session_store.ts";
import type { AuthUser } from "./user.ts";

export type CredentialSource = "bearer" | "cookie";

export interface Credential {
  token: string;
  via: CredentialSource;
}

export type Authentication =
  | { status: "signed_in"; user: AuthUser; session: string; via: CredentialSource }
  /** An authentic access token past its expiry: the login may still be refreshed. */
  | { status: "expired"; session: string; via: CredentialSource }
  /** No credential, or one that was refused. */
  | { status: "anonymous" };

const ANONYMOUS: Authentication = { status: "anonymous" };

/**
 * The access token a request carries: the Authorization header when `bearer` is allowed and
 * present (it wins over a cookie), else the access cookie.
 */
export function accessCredential(req: Request, options: { bearer: boolean }): Credential | null {
  const authorization = req.headers.get("Authorization");
  if (options.bearer && authorization !== null) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    // A malformed header is a rejected credential, not a fall-back to the cookie.
    return { token: match?.[1] ?? "", via: "bearer" };
  }
  const cookie = readCookie(req, ACCESS_COOKIE);
  return cookie ? { token: cookie, via: "cookie" } : null;
}

/** Checks `credential`; a refused one is logged with its reason (never the token). */
export async function authenticate(
  app: Pick<AppContext, "authKeys" | "db" | "log">,
  credential: Credential | null,
): Promise<Authentication> {
  if (!credential) return ANONYMOUS;
  const refused = (reason: string): Authentication => {
    app.log.info("access token refused", { reason, via: credential.via });
    return ANONYMOUS;
  };
  const check = await checkAccessToken(app.authKeys.accessToken, credential.token);
  if (check.status === "invalid") return refused(check.reason);
  const { session } = check.claims;
  if (check.status === "expired") return { status: "expired", session, via: credential.via };
  const user = await sessionUser(app.db.sql, check.claims.userId, session);
  if (!user) return refused("session_ended");
  return { status: "signed_in", user, session, via: credential.via };
}
