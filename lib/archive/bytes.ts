// FetchedPayload bodies are typed `Uint8Array` (any backing buffer); Web Crypto and Blob want one
// backed by a plain ArrayBuffer. This narrows without copying in the usual case.

export function plainBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer) {
    return new Uint8Array(buffer, bytes.byteOffset, bytes.byteLength);
  }
  return new Uint8Array(bytes); // a SharedArrayBuffer view: copy
}
