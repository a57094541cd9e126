// Where the auth secret comes from: AUTH_SECRET, or — so that the embedded mode works with zero
// configuration — a random secret generated on the first start and kept in DATA_DIR/auth-secret
// (mode 0600). Every process sharing the data directory reads the same file.
import { join } from "node:path";
import type { Config } from "../config.ts";
import { randomToken } from "../crypto/random_token.ts";
import type { Logger } from "../log.ts";

export const SECRET_FILE = "auth-secret";

async function readSecret(path: string): Promise<string> {
  const secret = (await Deno.readTextFile(path)).trim();
  if (new TextEncoder().encode(secret).byteLength < 32) {
    throw new Error(`${path} holds less than 32 bytes: delete it to generate a new auth secret`);
  }
  return secret;
}

/** The configured secret, else the data directory's (created on first use), as bytes. */
export async function loadAuthSecret(
  config: Pick<Config, "auth" | "dataDir">,
  log: Logger,
): Promise<Uint8Array> {
  if (config.auth.secret) return new TextEncoder().encode(config.auth.secret);
  const path = join(config.dataDir, SECRET_FILE);
  try {
    return new TextEncoder().encode(await readSecret(path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(config.dataDir, { recursive: true });
  // Written aside, then linked into place: linking is atomic and refuses an existing name, so
  // when two processes start at once both end up reading the one complete file.
  const draft = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(draft, `${randomToken(32)}\n`, { createNew: true, mode: 0o600 });
  try {
    await Deno.link(draft, path);
    log.info("auth secret generated", { path, hint: "set AUTH_SECRET to manage it yourself" });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  } finally {
    await Deno.remove(draft);
  }
  return new TextEncoder().encode(await readSecret(path));
}
