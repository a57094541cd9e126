// `deno task start` as a person runs it: a real process, a real port, and one clear line on bad input.
import assert from "node:assert/strict";
import { AppProcess, freePort } from "./support/app_process.ts";
import { tempDir } from "./support/temp_dir.ts";

Deno.test("the app starts embedded, serves the dashboard, and stops cleanly on SIGTERM", async () => {
  await using temp = await tempDir("craveny-start-");
  const dir = temp.path;
  const app = new AppProcess({ DATA_DIR: dir });
  try {
    const url = await app.listeningUrl();
    assert.match(app.output(), /"database":"embedded","cache":"memory"/);
    const response = await fetch(`${url}/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<html lang="en">/);
  } finally {
    assert.equal(await app.stop(), 0);
  }
});

Deno.test("an unreachable Redis leaves a running, degraded app", async () => {
  await using temp = await tempDir("craveny-start-");
  const dir = temp.path;
  const redisUrl = `redis://127.0.0.1:${freePort()}`;
  const app = new AppProcess({ DATA_DIR: dir, REDIS_URL: redisUrl });
  try {
    const url = await app.listeningUrl();
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, "degraded");
  } finally {
    await app.stop();
  }
});

Deno.test("a port already in use gives one clear line and exit 1", async () => {
  await using temp = await tempDir("craveny-start-");
  const dir = temp.path;
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const { code, stderr } = await new AppProcess({ DATA_DIR: dir, PORT: String(port) })
    .exit();
  assert.equal(code, 1);
  assert.equal(
    stderr,
    `craveny: port ${port} is already in use: stop the other server or set PORT`,
  );
});

Deno.test("a bad environment value gives one clear line and exit 1", async () => {
  await using temp = await tempDir("craveny-start-");
  const dir = temp.path;
  const { code, stderr } = await new AppProcess({ DATA_DIR: dir, LOG_LEVEL: "chatty" }).exit();
  assert.equal(code, 1);
  assert.equal(
    stderr,
    'craveny: LOG_LEVEL: expected one of debug, info, warn, error, got "chatty"',
  );
});

Deno.test("an unreachable Postgres gives one clear line without the password", async () => {
  await using temp = await tempDir("craveny-start-");
  const dir = temp.path;
  const port = freePort();
  const { code, stderr } = await new AppProcess({
    DATA_DIR: dir,
    DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/craveny`,
  }).exit();
  assert.equal(code, 1);
  assert.equal(stderr.split("\n").length, 1, stderr);
  assert.match(stderr, new RegExp(`^craveny: .*127\\.0\\.0\\.1:${port}`));
  assert.ok(!stderr.includes("hunter2"));
});

Deno.test("a corrupt data directory gives one clear line and is left untouched", async () => {
  await using temp = await tempDir("craveny-start-");
  const dir = temp.path;
  await Deno.mkdir(`${dir}/pglite`);
  await Deno.writeTextFile(`${dir}/pglite/PG_VERSION`, "not a database\n");
  await Deno.writeTextFile(`${dir}/pglite/global`, "garbage");
  const { code, stderr } = await new AppProcess({ DATA_DIR: dir }).exit();
  assert.equal(code, 1);
  assert.equal(stderr.split("\n").length, 1, stderr);
  assert.match(stderr, /^craveny: embedded database at .* could not be opened/);
  assert.equal(await Deno.readTextFile(`${dir}/pglite/global`), "garbage");
});
