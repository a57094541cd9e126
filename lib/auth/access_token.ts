// Access tokens: short-lived HS256 JWTs naming the user (`sub`) and the login they belong to
// (`sid`, the session family). Verification allows HS256 only — so `alg: none` and algorithm
// confusion (an RS256 or HS512 header) are refused — and checks iss, aud and exp.
import { errors, jwtVerify, SignJWT } from "jose";

export const TOKEN_ISSUER = "craveny";
export const TOKEN_AUDIENCE = "craveny";
const ALGORITHM = "HS256";

export interface AccessClaims {
  userId: number;
  /** The session family: stable across refreshes, revoked as a whole. */
  session: string;
}

export type AccessTokenCheck =
  | { status: "valid"; claims: AccessClaims }
  /** Correctly signed, right issuer and audience, only expired: the login may be refreshed. */
  | { status: "expired"; claims: AccessClaims }
  | { status: "invalid"; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function claimsOf(payload: { sub?: unknown; sid?: unknown }): AccessClaims | null {
  const { sub, sid } = payload;
  if (typeof sub !== "string" || !/^[1-9]\d{0,14}$/.test(sub)) return null;
  if (typeof sid !== "string" || !UUID.test(sid)) return null;
  return { userId: Number(sub), session: sid };
}

export function issueAccessToken(
  key: Uint8Array,
  claims: AccessClaims,
  ttlSeconds: number,
  issuedAt: Date = new Date(),
): Promise<string> {
  const iat = Math.floor(issuedAt.getTime() / 1000);
  return new SignJWT({ sid: claims.session })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    // Unique even when one session gets two tokens within a second.
    .setJti(crypto.randomUUID())
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(String(claims.userId))
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key);
}

export async function checkAccessToken(key: Uint8Array, token: string): Promise<AccessTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ["exp", "iat", "sub", "sid"],
    });
    const claims = claimsOf(payload);
    return claims ? { status: "valid", claims } : { status: "invalid", reason: "bad_claims" };
  } catch (error) {
    // jose checks the signature, then iss and aud, then exp: an expired token's payload is
    // authentic.
    if (error instanceof errors.JWTExpired) {
      const claims = claimsOf(error.payload);
      return claims ? { status: "expired", claims } : { status: "invalid", reason: "bad_claims" };
    }
    if (error instanceof errors.JOSEError) return { status: "invalid", reason: error.code };
    throw error;
  }
}
