// dev.ts as a command: the manifest staleness check `deno task check` relies on.
import assert from "node:assert/strict";
import { join } from "node:path";
import { type CommandResult, runDeno } from "./tests/support/deno_command.ts";
import { tempDir } from "./tests/support/temp_dir.ts";

const DEV = new URL("./dev.ts", import.meta.url).pathname;

function dev(...args: string[]): Promise<CommandResult> {
  return runDeno(["run", "-A", DEV, ...args]);
}

Deno.test("dev.ts --check: the repository's fresh.gen.ts is up to date", async () => {
  const result = await dev("--check");
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /fresh\.gen\.ts is up to date/);
});

Deno.test("dev.ts --check fails on a stale manifest; --generate fixes it without starting the app", async () => {
  await using app = await tempDir("craveny-dev-");
  const root = app.path;
  await Deno.mkdir(join(root, "routes"));
  await Deno.writeTextFile(join(root, "routes/index.tsx"), "export default () => null;\n");

  const stale = await dev("--check", `--root=${root}`);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /fresh\.gen\.ts is stale:\n {2}\+ \.\/routes\/index\.tsx/);
  assert.match(stale.stderr, /deno run -A dev\.ts --generate/);

  const generated = await dev("--generate", `--root=${root}`);
  assert.equal(generated.code, 0, generated.stderr);
  assert.match(generated.stdout, /fresh\.gen\.ts regenerated/);
  assert.equal((await dev("--check", `--root=${root}`)).code, 0);
});
