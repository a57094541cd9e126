// Content addresses for the raw archive: a payload is named by the sha-256 of its raw bytes.
import { plainBytes } from "./bytes.ts";

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Lowercase hex sha-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", plainBytes(bytes)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * The object key of a payload inside the archive directory: `<aa>/<sha256>.gz`. The two-character
 * fan-out keeps directories small (256 of them, each ~1/256 of the files).
 */
export function archiveKey(sha256: string): string {
  // Also what keeps a crafted "hash" such as "../x" from escaping the archive directory.
  if (!isSha256Hex(sha256)) {
    throw new RangeError(`not a sha-256 hex digest: ${JSON.stringify(sha256)}`);
  }
  return `${sha256.slice(0, 2)}/${sha256}.gz`;
}
