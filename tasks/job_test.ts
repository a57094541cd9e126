import assert from "node:assert/strict";
import { openEmbedded } from "../lib/db/embedded.ts";
import { migrate } from "../lib/db/migrate.ts";
import { DEFAULT_EMBED_BATCH } from "../lib/embed/embed_news.ts";
import { createLogger } from "../lib/log.ts";
import { seedEmbeddedDataDir } from "../tests/support/database.ts";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
import { addTestNews } from "../tests/support/news.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;

async function runTask(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  await using dataDir = await tempDir("craveny-job-task-");
  return await runDeno(["run", "-A", "tasks/job.ts", ...args], {
    cwd: root,
    // Empty values select the embedded defaults even where CI exports real service URLs.
    env: {
      DATA_DIR: dataDir.path,
      DATABASE_URL: "",
      REDIS_URL: "",
      MILVUS_ADDRESS: "",
      LOG_LEVEL: "error",
      ...env,
    },
  });
}

Deno.test("deno task job NAME runs the job once and prints its outcome", async () => {
  const { code, stdout, stderr } = await runTask(["crawl"]);
  assert.equal(code, 0, stderr);
  const outcome = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assert.equal(outcome.job, "crawl");
  assert.equal(outcome.status, "succeeded");
  assert.equal(typeof outcome.runId, "number");
});

Deno.test("deno task job with an unknown name lists the jobs and exits 2", async () => {
  const { code, stderr } = await runTask(["crawler"]);
  assert.equal(code, 2);
  assert.match(stderr, /unknown job "crawler"/);
  assert.match(stderr, /evaluate\s+Label outcomes/);
});

Deno.test("deno task job with a bad environment value prints one line and exits 1", async () => {
  const { code, stderr } = await runTask(["crawl"], { PORT: "eighty" });
  assert.equal(code, 1);
  assert.equal(stderr.trim(), 'craveny: PORT: expected an integer from 0 to 65535, got "eighty"');
});

Deno.test("deno task job embed --rebuild shows progress and stops between batches on Ctrl-C", async () => {
  await using dir = await tempDir("craveny-job-interrupt-");
  await seedEmbeddedDataDir(dir.path);
  const quiet = createLogger("error", () => {});
  const seeded = await openEmbedded(dir.path, quiet);
  try {
    await migrate(seeded, quiet);
    const day = Date.UTC(2025, 0, 2);
    await addTestNews(
      seeded.sql,
      Array.from({ length: 600 }, (_, i) => ({
        title: `Story number ${i}`,
        publishedAt: new Date(day + i * 60_000),
      })),
      new Date(day + 86_400_000),
    );
  } finally {
    await seeded.close();
  }
  // An embeddings API that takes 2 s per batch: five batches outlast the first progress line.
  const dimension = 8;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    const { input } = await request.json() as { input: string[] };
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return Response.json({
      object: "list",
      model: "text-embedding-3-small",
      data: input.map((_, index) => ({
        object: "embedding",
        index,
        embedding: Array.from({ length: dimension }, (_, k) => (index % 7) + k / 8 + 0.5),
      })),
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tasks/job.ts", "embed", "--rebuild"],
      cwd: root,
      env: {
        DATA_DIR: dir.path,
        DATABASE_URL: "",
        REDIS_URL: "",
        MILVUS_ADDRESS: "",
        LOG_LEVEL: "error",
        OPENAI_API_KEY: "sk-test-0123456789abcdefghijklmnop",
        OPENAI_BASE_URL: `http://127.0.0.1:${server.addr.port}/v1`,
        EMBEDDING_DIMENSIONS: String(dimension),
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(child.stdout).text();
    const decoder = new TextDecoder();
    let stderr = "";
    const reader = child.stderr.getReader();
    while (!/embed: running/.test(stderr)) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += decoder.decode(value, { stream: true });
    }
    child.kill("SIGINT");
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      stderr += decoder.decode(chunk.value, { stream: true });
    }
    const { code } = await child.status;
    const output = await stdout;
    assert.equal(code, 130, `${output}\n${stderr}`);
    assert.match(stderr, /^embed: running \d+ s, \d[\d,]* news items left$/m);
    assert.match(stderr, /stopping at the next safe point/);
    assert.match(stderr, /embed interrupted: its committed work stays/);
    const outcome = JSON.parse(output.trim().split("\n").at(-1)!);
    assert.equal(outcome.status, "interrupted");

    const db = await openEmbedded(dir.path, quiet);
    try {
      const [run] = await db.sql<{ status: string }[]>`
        select status from job_run where job = 'embed' order by id desc limit 1`;
      assert.equal(run.status, "interrupted");
      const [{ marked }] = await db.sql<{ marked: number }[]>`
        select count(*)::int as marked from news where embedded_with is not null`;
      // Whole batches of 128 only, and not all of them.
      assert.equal(marked % DEFAULT_EMBED_BATCH, 0, `${marked} news marked`);
      assert.ok(marked > 0 && marked < 600, `${marked} news marked`);
    } finally {
      await db.close();
    }
  } finally {
    await server.shutdown();
  }
});
