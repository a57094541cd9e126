import { Buffer } from "node:buffer";

/** `bytes` random bytes as base64url text (43 characters for 32 bytes). */
export function randomToken(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}
