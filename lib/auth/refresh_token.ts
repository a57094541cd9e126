// Refresh tokens: 256 random bits, handed to the client once and stored only as a SHA-256 hash
// (a database leak must not hand out sessions; the tokens are random, so no salt is needed).
import { randomToken } from "../crypto/random_token.ts";
import { sha256Hex } from "../crypto/sha256.ts";

const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(): string {
  return randomToken(32);
}

/** Whether `token` could be one of ours (saves a query on junk). */
export function isRefreshTokenShaped(token: string): boolean {
  return REFRESH_TOKEN.test(token);
}

export function refreshTokenHash(token: string): Promise<string> {
  return sha256Hex(token);
}
