// The operator's view of `deno task`: every task listed with a one-line description, the
// commands the operations guide names, and each task script answering --help as a real
// subprocess — usage on stdout, exit 0, and nothing opened (no data directory appears).
import assert from "node:assert/strict";
import { runDeno } from "../tests/support/deno_command.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;
const denoJson = JSON.parse(await Deno.readTextFile(`${root}deno.json`)) as {
  tasks: Record<string, string | { description?: string; command: string }>;
};
const tasks = Object.entries(denoJson.tasks);

/** The task script a task runs, e.g. "tasks/job.ts"; undefined for tasks that run no script. */
function script(task: string | { command: string }): string | undefined {
  const command = typeof task === "string" ? task : task.command;
  return /^deno run -A ((?:tasks\/)?\w+\.ts)$/.exec(command)?.[1];
}

Deno.test("deno task lists every operator command, each with a one-line description", () => {
  const expected = [
    "start",
    "dev",
    "test",
    "check",
    "migrate",
    "job",
    "import",
    "replay",
    "user",
    "vectors",
    "backup",
    "restore",
    "bench",
  ];
  const names = tasks.map(([name]) => name);
  for (const name of expected) assert.ok(names.includes(name), `deno task ${name} is missing`);
  for (const [name, task] of tasks) {
    const description = typeof task === "string" ? undefined : task.description?.trim();
    assert.ok(description, `deno task ${name} has no description`);
    assert.ok(!description.includes("\n"), `deno task ${name}: the description is not one line`);
    assert.ok(description.length <= 120, `deno task ${name}: the description is too long`);
  }
});

Deno.test("every task script is a deno task", async () => {
  const scripts = new Set(tasks.map(([, task]) => script(task)).filter(Boolean));
  for await (const entry of Deno.readDir(`${root}tasks`)) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const source = await Deno.readTextFile(`${root}tasks/${entry.name}`);
    // Entry points run on `import.meta.main`; the rest are the tasks' shared helpers.
    if (!source.includes("import.meta.main")) continue;
    assert.ok(scripts.has(`tasks/${entry.name}`), `tasks/${entry.name} has no deno task`);
  }
});

for (const [name, task] of tasks) {
  if (!script(task)) continue;
  Deno.test(`deno task ${name} --help prints its usage and opens nothing`, async () => {
    await using dir = await tempDir("craveny-help-");
    const dataDir = `${dir.path}/data`;
    const { code, stdout, stderr } = await runDeno(["task", name, "--help"], {
      cwd: root,
      env: {
        DATA_DIR: dataDir,
        BACKUP_DIR: `${dir.path}/backups`,
        DATABASE_URL: "",
        REDIS_URL: "",
        MILVUS_ADDRESS: "",
        NO_COLOR: "1",
      },
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^usage: deno task ${name}\\b`), stdout);
    assert.ok(stdout.trim().split("\n").length >= 2, "a usage line and what it does");
    await assert.rejects(() => Deno.stat(dataDir), Deno.errors.NotFound, "--help opened DATA_DIR");
  });
}
