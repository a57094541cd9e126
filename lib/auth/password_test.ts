import assert from "node:assert/strict";
import { hashPassword, PASSWORD_PARAMS, verifyPassword } from "./password.ts";

Deno.test("argon2id hashes round-trip and record OWASP's parameters", async () => {
  const hash = await hashPassword("correct horse battery staple");
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.deepEqual(PASSWORD_PARAMS, { memoryKiB: 19_456, iterations: 2, parallelism: 1 });
  assert.deepEqual(await verifyPassword("correct horse battery staple", hash), {
    ok: true,
    needsRehash: false,
  });
  assert.equal((await verifyPassword("correct horse battery stapler", hash)).ok, false);
  assert.equal((await verifyPassword("", hash)).ok, false);
});

Deno.test("every hash has its own salt", async () => {
  const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
  assert.notEqual(a, b);
});

Deno.test("a hash made with other parameters verifies and asks to be re-hashed", async () => {
  const old = await hashPassword("an older account's password", {
    memoryKiB: 8_192,
    iterations: 1,
    parallelism: 1,
  });
  assert.match(old, /\$m=8192,t=1,p=1\$/);
  assert.deepEqual(await verifyPassword("an older account's password", old), {
    ok: true,
    needsRehash: true,
  });
  assert.deepEqual(await verifyPassword("wrong", old), { ok: false, needsRehash: false });
});

Deno.test("hashes this module did not write never verify", async () => {
  const good = await hashPassword("password123456");
  for (
    const stored of [
      "",
      "plaintext",
      good.replace("argon2id", "argon2i"),
      good.replace("v=19", "v=16"),
      // Parameters that would let a tampered row make a login allocate gigabytes.
      good.replace("m=19456", "m=99999999"),
      good.replace("t=2", "t=0"),
    ]
  ) {
    assert.deepEqual(await verifyPassword("password123456", stored), {
      ok: false,
      needsRehash: false,
    });
  }
});
