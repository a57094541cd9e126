// `deno task vectors` as an operator runs it, on the embedded defaults: status, then drift made
// by hand (vectors lost from the store) found by reconcile, repaired, and re-embedded.
import assert from "node:assert/strict";
import { NEWS_COLLECTION } from "../lib/embed/embed_news.ts";
import { OfflineEmbedder } from "../lib/embed/offline.ts";
import { createLogger } from "../lib/log.ts";
import { openEmbeddedVectorStore } from "../lib/vectors/embedded.ts";
import { type CommandResult, runDeno } from "../tests/support/deno_command.ts";
import { tempDir } from "../tests/support/temp_dir.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("deno task vectors: status, reconcile --dry-run, reconcile, then embed repairs", async () => {
  await using dataDir = await tempDir("craveny-vectors-task-");
  const env = {
    DATA_DIR: dataDir.path,
    DATABASE_URL: "",
    REDIS_URL: "",
    MILVUS_ADDRESS: "",
    LOG_LEVEL: "error",
    SIMULATOR_START: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
  };
  const run = async (script: string, args: string[]): Promise<CommandResult> => {
    const result = await runDeno(["run", "-A", script, ...args], { cwd: root, env });
    assert.equal(result.code, 0, `${script} ${args.join(" ")}: ${result.stderr}`);
    return result;
  };
  const job = async (name: string) =>
    JSON.parse((await run("tasks/job.ts", [name])).stdout.trim().split("\n").at(-1)!);

  assert.equal((await job("crawl")).status, "succeeded");
  const embedded = (await job("embed")).counts.embedded;
  assert.ok(embedded > 0);
  const status = (await run("tasks/vectors.ts", ["status"])).stdout;
  assert.match(status, /embedder\s+offline:hashed-tfidf-v1:384/);
  assert.match(status, /vector store\s+embedded/);
  assert.match(status, new RegExp(`news vectors\\s+${embedded}\\n`));

  // Drift: two vectors vanish from the store (as after restoring an older backup of it).
  const embedder = new OfflineEmbedder();
  const store = await openEmbeddedVectorStore(dataDir.path, createLogger("error", () => {}));
  await store.ensureCollection(NEWS_COLLECTION, embedder.dimension, embedder.id);
  const [first] = await Array.fromAsync(store.ids(NEWS_COLLECTION, 2));
  await store.delete(NEWS_COLLECTION, first);
  await store.close();

  const dryRun = (await run("tasks/vectors.ts", ["reconcile", "--dry-run"])).stdout;
  assert.match(dryRun, new RegExp(`missing in the vector store\\s+2: ${first.join(", ")}\\n`));
  assert.match(dryRun, /missing in Postgres\s+0\n/);
  assert.match(dryRun, /dry run: nothing changed/);
  const repaired = (await run("tasks/vectors.ts", ["reconcile"])).stdout;
  assert.match(repaired, /repaired: 0 orphan vectors deleted, 2 news items queued/);
  assert.deepEqual((await job("embed")).counts, { embedded: 2, skipped: 0, batches: 1 });
  assert.match((await run("tasks/vectors.ts", ["reconcile", "--dry-run"])).stdout, /store\s+0\n/);

  const usage = await runDeno(["run", "-A", "tasks/vectors.ts", "status", "--dry-run"], {
    cwd: root,
    env,
  });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: deno task vectors COMMAND/);
});
