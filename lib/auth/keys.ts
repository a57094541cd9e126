// The keys auth signs with, derived from one secret (AUTH_SECRET or DATA_DIR/auth-secret) so that
// an access-token signature can never double as a CSRF token or the other way round.
import { createHmac } from "node:crypto";

export interface AuthKeys {
  /** HS256 key of access tokens. */
  accessToken: Uint8Array;
  /** HMAC key of CSRF tokens. */
  csrf: Uint8Array;
}

function subkey(secret: Uint8Array, purpose: string): Uint8Array {
  return new Uint8Array(createHmac("sha256", secret).update(`craveny ${purpose} v1`).digest());
}

export function deriveAuthKeys(secret: Uint8Array): AuthKeys {
  if (secret.byteLength < 32) throw new RangeError("the auth secret needs at least 32 bytes");
  return { accessToken: subkey(secret, "access token"), csrf: subkey(secret, "csrf") };
}
