// Bad input at start (issue 9), with real processes and ports nothing listens on: a service
// Craveny can't do without (Postgres, Milvus) stops it with one line naming the variable to fix
// and no secret; an unreachable Redis leaves it running degraded (DESIGN §2: the cache holds only
// what can be rebuilt); a second process on one embedded data directory refuses to start.
import assert from "node:assert/strict";
import { AppProcess, freePort } from "../support/app_process.ts";
import { seedEmbeddedDataDir } from "../support/database.ts";
import { tempDir } from "../support/temp_dir.ts";

/** A data directory holding an empty, initialised embedded database (saves an initdb). */
async function dataDir() {
  const dir = await tempDir("craveny-bad-input-");
  await seedEmbeddedDataDir(dir.path);
  return dir;
}

Deno.test("an unreachable Postgres or Milvus: one line naming the variable, exit 1", async (t) => {
  await using dir = await dataDir();
  const port = freePort();
  const cases: { variable: string; env: Record<string, string>; line: string | RegExp }[] = [
    {
      variable: "DATABASE_URL",
      env: { DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/craveny` },
      line: `craveny: DATABASE_URL: postgres at 127.0.0.1:${port}/craveny could not be reached: ` +
        "connection refused (is the server running and listening on that port?)",
    },
    {
      variable: "MILVUS_ADDRESS",
      env: { MILVUS_ADDRESS: `127.0.0.1:${port}`, MILVUS_TIMEOUT_MS: "1000" },
      line: new RegExp(
        `^craveny: MILVUS_ADDRESS: Milvus at 127\\.0\\.0\\.1:${port} is unreachable: \\S.*$`,
      ),
    },
  ];
  for (const { variable, env, line } of cases) {
    await t.step(variable, async () => {
      const app = new AppProcess({ DATA_DIR: dir.path, ...env });
      const { code, stdout, stderr } = await app.exit();
      assert.equal(code, 1);
      if (typeof line === "string") assert.equal(stderr, line);
      else assert.match(stderr, line);
      assert.ok(!`${stdout}${stderr}`.includes("hunter2"), "no password in the output");
    });
  }
});

Deno.test("an unreachable Redis: the app runs degraded and never logs the password", async () => {
  await using dir = await dataDir();
  const port = freePort();
  const app = new AppProcess({
    DATA_DIR: dir.path,
    REDIS_URL: `redis://:hunter2@127.0.0.1:${port}`,
  });
  let code: number;
  try {
    const url = await app.listeningUrl();
    const warning = await app.waitForLog((entry) =>
      entry.message.startsWith("cache degraded: Redis unreachable at start-up")
    );
    assert.equal(warning.redis, `127.0.0.1:${port}`);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, "degraded");
  } finally {
    app.kill("SIGTERM");
    ({ code } = await app.exit());
  }
  assert.equal(code, 0);
  const { stdout, stderr } = await app.exit();
  assert.ok(!`${stdout}${stderr}`.includes("hunter2"), "no password in the logs");
});

Deno.test("a second process on the same embedded data directory refuses to start", async () => {
  await using dir = await dataDir();
  const first = new AppProcess({ DATA_DIR: dir.path });
  try {
    const url = await first.listeningUrl();
    const second = new AppProcess({ DATA_DIR: dir.path });
    const { code, stderr } = await second.exit();
    assert.equal(code, 1);
    const lock = `${dir.path}/pglite.lock`;
    assert.equal(
      stderr,
      `craveny: embedded database at ${dir.path}/pglite is in use by process ${first.pid} on ` +
        `${Deno.hostname()}; stop it first (or delete ${lock} if that process is gone)`,
    );
    // The first one never noticed.
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    first.kill("SIGTERM");
  }
  assert.equal((await first.exit()).code, 0);
});
