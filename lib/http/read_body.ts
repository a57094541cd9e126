// Reads a request body into memory without ever holding more than `limitBytes` of it.
import { PayloadTooLarge } from "./errors.ts";

/** The whole body, or `PayloadTooLarge` as soon as it grows past `limitBytes`. */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array>,
  limitBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        // Stop reading: the rest of an oversized upload is never buffered.
        await reader.cancel().catch(() => {});
        throw new PayloadTooLarge(limitBytes);
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
