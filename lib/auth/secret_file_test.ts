import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { loadAuthSecret, SECRET_FILE } from "./secret_file.ts";

function logger() {
  const lines: string[] = [];
  return { lines, log: createLogger("info", (line) => lines.push(line)) };
}

Deno.test("without AUTH_SECRET a secret is generated once, kept 0600 and reused", async () => {
  await using dir = await tempDir("craveny-auth-secret-");
  const config = loadConfig({ DATA_DIR: join(dir.path, "data") });
  const first = logger();
  const secret = await loadAuthSecret(config, first.log);
  assert.ok(secret.byteLength >= 32);
  const path = join(dir.path, "data", SECRET_FILE);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  assert.equal(first.lines.length, 1);
  assert.match(first.lines[0], /"message":"auth secret generated"/);
  assert.ok(!first.lines[0].includes(new TextDecoder().decode(secret)), "never logged");

  const again = logger();
  assert.deepEqual(await loadAuthSecret(config, again.log), secret);
  assert.deepEqual(again.lines, [], "reusing it says nothing");
  assert.deepEqual(
    (await Array.fromAsync(Deno.readDir(join(dir.path, "data")))).map((e) => e.name),
    [
      SECRET_FILE,
    ],
  );
});

Deno.test("processes starting together agree on one secret", async () => {
  await using dir = await tempDir("craveny-auth-secret-");
  const config = loadConfig({ DATA_DIR: dir.path });
  const secrets = await Promise.all(
    Array.from({ length: 8 }, () => loadAuthSecret(config, logger().log)),
  );
  for (const secret of secrets) assert.deepEqual(secret, secrets[0]);
});

Deno.test("AUTH_SECRET wins and writes nothing; a short secret file is an error", async () => {
  await using dir = await tempDir("craveny-auth-secret-");
  const secret = "s".repeat(32);
  const config = loadConfig({ DATA_DIR: dir.path, AUTH_SECRET: secret });
  assert.deepEqual(await loadAuthSecret(config, logger().log), new TextEncoder().encode(secret));
  assert.deepEqual(await Array.fromAsync(Deno.readDir(dir.path)), []);

  await Deno.writeTextFile(join(dir.path, SECRET_FILE), "too short\n");
  await assert.rejects(
    loadAuthSecret(loadConfig({ DATA_DIR: dir.path }), logger().log),
    /less than 32 bytes: delete it/,
  );
});
