// One sha-256 helper for content addresses, migration checksums, prompt and input fingerprints.
import { plainBytes } from "../archive/bytes.ts";

/** Lowercase hex sha-256 of `data` (a string is hashed as its UTF-8 bytes). */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : plainBytes(data);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
