import assert from "node:assert/strict";

const root = new URL("..", import.meta.url).pathname;

async function runTask(args: string[], env: Record<string, string> = {}) {
  const dataDir = await Deno.makeTempDir({ prefix: "craveny-job-task-" });
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tasks/job.ts", ...args],
      cwd: root,
      // Empty values select the embedded defaults even where CI exports real service URLs.
      env: { DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "", LOG_LEVEL: "error", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
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
