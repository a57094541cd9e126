// Reads a request body into memory without ever holding more than `limitBytes` of it.
import { readStreamLimited } from "../net/read_limited.ts";
import { PayloadTooLarge } from "./errors.ts";

/** The whole body, or `PayloadTooLarge` as soon as it grows past `limitBytes`. */
export function readBodyLimited(
  body: ReadableStream<Uint8Array>,
  limitBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  return readStreamLimited(body, limitBytes, () => new PayloadTooLarge(limitBytes));
}
