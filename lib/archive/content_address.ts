// Content addresses for the raw archive: a payload is named by the sha-256 of its raw bytes.

const SHA256_HEX = /^[0-9a-f]{64}$/;

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
