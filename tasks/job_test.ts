import assert from "node:assert/strict";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
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
