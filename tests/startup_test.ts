// `deno task start` as a person runs it: a real process, a real port, and one clear line on bad input.
import assert from "node:assert/strict";
import { tempDir } from "./support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;

/** A running `main.ts` whose output is drained continuously (a closed pipe would break its logs). */
class AppProcess {
  readonly #child: Deno.ChildProcess;
  #stdout = "";
  #stderr = "";
  readonly #drained: Promise<unknown>;

  constructor(env: Record<string, string>, dataDir: string) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main.ts"],
      cwd: root,
      // Empty values select the embedded defaults even where CI exports real service URLs.
      env: {
        DATA_DIR: dataDir,
        DATABASE_URL: "",
        REDIS_URL: "",
        MILVUS_ADDRESS: "",
        JOBS_ENABLED: "false",
        ...env,
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const drain = async (stream: ReadableStream<Uint8Array>, append: (text: string) => void) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) append(decoder.decode(chunk, { stream: true }));
    };
    this.#drained = Promise.all([
      drain(this.#child.stdout, (text) => void (this.#stdout += text)),
      drain(this.#child.stderr, (text) => void (this.#stderr += text)),
    ]);
  }

  /** The URL from the "craveny listening" log line, once it is printed. */
  async listeningUrl(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const entry = this.#stdout.split("\n").filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line)).find((line) => line.message === "craveny listening");
      if (entry) return entry.url;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`no "craveny listening" line:\n${this.#stdout}\n${this.#stderr}`);
  }

  get stdout(): string {
    return this.#stdout;
  }

  async exit(): Promise<{ code: number; stderr: string }> {
    const { code } = await this.#child.status;
    await this.#drained;
    return { code, stderr: this.#stderr.trim() };
  }

  async stop(): Promise<number> {
    this.#child.kill("SIGTERM");
    return (await this.exit()).code;
  }
}

function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return (listener.addr as Deno.NetAddr).port;
}

Deno.test("the app starts embedded, serves the dashboard, and stops cleanly on SIGTERM", async () => {
  await using temp = await tempDir("craveny-start-");
  const dir = temp.path;
  const app = new AppProcess({ PORT: "0", HOST: "127.0.0.1" }, dir);
  try {
    const url = await app.listeningUrl();
    assert.match(app.stdout, /"database":"embedded","cache":"memory"/);
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
  const app = new AppProcess({ PORT: "0", HOST: "127.0.0.1", REDIS_URL: redisUrl }, dir);
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
  const { code, stderr } = await new AppProcess({ PORT: String(port), HOST: "127.0.0.1" }, dir)
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
  const { code, stderr } = await new AppProcess({ LOG_LEVEL: "chatty" }, dir).exit();
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
  const { code, stderr } = await new AppProcess(
    { DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/craveny` },
    dir,
  ).exit();
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
  const { code, stderr } = await new AppProcess({}, dir).exit();
  assert.equal(code, 1);
  assert.equal(stderr.split("\n").length, 1, stderr);
  assert.match(stderr, /^craveny: embedded database at .* could not be opened/);
  assert.equal(await Deno.readTextFile(`${dir}/pglite/global`), "garbage");
});
