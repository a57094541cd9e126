// Reads a byte stream into memory without ever holding more than `limitBytes` of it. Shared by
// request bodies (lib/http: 413 PayloadTooLarge) and upstream responses (./http_fetch.ts:
// BodyTooLarge); each caller says which error an oversized stream is.

/** The whole stream, or `tooLarge()` thrown as soon as it grows past `limitBytes`. */
export async function readStreamLimited(
  stream: ReadableStream<Uint8Array>,
  limitBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        // Stop reading: the rest of an oversized stream is never buffered.
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
