import assert from "node:assert/strict";
import { sha256Hex } from "../crypto/sha256.ts";
import { archiveKey, isSha256Hex } from "./content_address.ts";
import { gunzip, gzip } from "./gzip.ts";

Deno.test("sha-256 of bytes as lowercase hex", async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  // A view into a larger buffer hashes only its own bytes.
  const view = new TextEncoder().encode("xabcx").subarray(1, 4);
  assert.equal(await sha256Hex(view), await sha256Hex(new TextEncoder().encode("abc")));
});

Deno.test("archive keys fan out by the first two hex digits and refuse anything else", () => {
  const sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  assert.equal(archiveKey(sha), `ba/${sha}.gz`);
  assert.equal(isSha256Hex(sha.toUpperCase()), false);
  assert.throws(() => archiveKey("../../etc/passwd"), RangeError);
});

Deno.test("gzip round trip; truncated gzip is refused", async () => {
  const text = "Date,Open,High,Low,Close,Volume\n".repeat(100);
  const packed = await gzip(new TextEncoder().encode(text));
  assert.ok(packed.byteLength < text.length);
  assert.equal(new TextDecoder().decode(await gunzip(packed)), text);
  await assert.rejects(gunzip(packed.subarray(0, packed.byteLength - 6)));
  await assert.rejects(gunzip(new TextEncoder().encode("not gzip at all")));
});
