// Password hashes: argon2id with OWASP's parameters (m=19 MiB, t=2, p=1) through hash-wasm, which
// runs in WebAssembly: no native build and no --allow-ffi. Hashes are PHC strings
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash) that record their parameters, so the parameters can be
// raised later: a login whose hash used other parameters reports `needsRehash`.
import { argon2id } from "hash-wasm";
import { Buffer } from "node:buffer";
import { timingSafeEqual } from "node:crypto";

export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export const PASSWORD_PARAMS: Readonly<Argon2Params> = {
  memoryKiB: 19_456,
  iterations: 2,
  parallelism: 1,
};

const SALT_BYTES = 16;
const HASH_BYTES = 32;

const PHC =
  /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

interface ParsedHash {
  params: Argon2Params;
  salt: Uint8Array;
  hash: Uint8Array;
}

function derive(password: string, salt: Uint8Array, params: Argon2Params, length: number) {
  return argon2id({
    password,
    salt,
    iterations: params.iterations,
    parallelism: params.parallelism,
    memorySize: params.memoryKiB,
    hashLength: length,
    outputType: "binary",
  });
}

/** PHC strings use standard base64 without padding. */
function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}

/**
 * The parts of a stored hash, or null when it is not one this module wrote. The bounds keep a
 * tampered row from making one login allocate gigabytes.
 */
function parseHash(stored: string): ParsedHash | null {
  const match = PHC.exec(stored);
  if (!match) return null;
  const [memoryKiB, iterations, parallelism] = [match[1], match[2], match[3]].map(Number);
  const fits = parallelism >= 1 && parallelism <= 16 && iterations >= 1 && iterations <= 64 &&
    memoryKiB >= 8 * parallelism && memoryKiB <= 1_048_576;
  if (!fits) return null;
  return {
    params: { memoryKiB, iterations, parallelism },
    salt: Buffer.from(match[4], "base64"),
    hash: Buffer.from(match[5], "base64"),
  };
}

export async function hashPassword(
  password: string,
  params: Readonly<Argon2Params> = PASSWORD_PARAMS,
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, params, HASH_BYTES);
  const { memoryKiB: m, iterations: t, parallelism: p } = params;
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(hash)}`;
}

export interface PasswordCheck {
  ok: boolean;
  /** The password was right but its hash used other parameters than PASSWORD_PARAMS. */
  needsRehash: boolean;
}

/** Checks `password` against a stored hash in time independent of where the hashes differ. */
export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const parsed = parseHash(stored);
  // hash-wasm refuses an empty password; no password is empty (password_policy.ts).
  if (!parsed || password === "") return { ok: false, needsRehash: false };
  const hash = await derive(password, parsed.salt, parsed.params, parsed.hash.byteLength);
  const ok = timingSafeEqual(hash, parsed.hash);
  const { memoryKiB, iterations, parallelism } = parsed.params;
  const current = memoryKiB === PASSWORD_PARAMS.memoryKiB &&
    iterations === PASSWORD_PARAMS.iterations && parallelism === PASSWORD_PARAMS.parallelism;
  return { ok, needsRehash: ok && !current };
}
