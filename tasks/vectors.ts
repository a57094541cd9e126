// `deno task vectors …`: the vector store as the operator sees it. `status` compares counts;
// `reconcile` finds ids present on one side only (Postgres or the vector store) and repairs them.
import { parseArgs } from "node:util";
import { openAppContext, type RunningContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { NEWS_COLLECTION } from "../lib/embed/embed_news.ts";
import { reconcileNewsVectors } from "../lib/embed/reconcile.ts";
import { jobLockName } from "../lib/jobs/runner.ts";
import { createLogger } from "../lib/log.ts";
import { exitWithError } from "./exit.ts";

const usage = `usage: deno task vectors COMMAND

  status                 the embedder, the vector store and how many news vectors it holds
  reconcile [--dry-run]  compare news ids in Postgres with the vector store and repair drift:
                         orphan vectors are deleted, rows whose vector is missing are re-queued
                         for the next embed run (--dry-run: report only)`;

/** Ids printed per side; the counts are always complete. */
const SHOWN_IDS = 20;

async function status(app: RunningContext): Promise<string> {
  const { embedder, vectors } = app;
  await vectors.ensureCollection(NEWS_COLLECTION, embedder.dimension, embedder.id);
  return [
    `embedder       ${embedder.id}`,
    `vector store   ${vectors.kind}`,
    `news vectors   ${await vectors.count(NEWS_COLLECTION)}`,
  ].join("\n");
}

async function reconcile(app: RunningContext, dryRun: boolean): Promise<string> {
  // Reconciling while an embed run is under way would take its not-yet-marked vectors for orphans.
  const lock = await app.cache.acquireLock(jobLockName("embed"), app.config.jobLockTtlMs);
  if (!lock) throw new Error("an embed run holds its lock: try again when it has finished");
  try {
    const result = await reconcileNewsVectors(
      { sql: app.db.sql, vectors: app.vectors, embedder: app.embedder, log: app.log },
      { repair: !dryRun },
    );
    const ids = (list: number[]) =>
      list.length === 0
        ? ""
        : `: ${list.slice(0, SHOWN_IDS).join(", ")}${list.length > SHOWN_IDS ? ", …" : ""}`;
    return [
      `missing in the vector store  ${result.missingInStore.length}${ids(result.missingInStore)}`,
      `missing in Postgres          ${result.missingInDb.length}${ids(result.missingInDb)}`,
      dryRun
        ? "dry run: nothing changed"
        : `repaired: ${result.repaired.vectorsDeleted} orphan vectors deleted, ` +
          `${result.repaired.marksCleared} news items queued for the next embed run`,
    ].join("\n");
  } finally {
    await lock.release();
  }
}

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { "dry-run": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`craveny: ${error instanceof Error ? error.message : error}\n${usage}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help) {
    console.log(usage);
    return 0;
  }
  if (
    rest.length > 0 || !(command === "status" || command === "reconcile") ||
    (command === "status" && parsed.values["dry-run"])
  ) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig(await readEnvironment());
  const app = await openAppContext(config, createLogger(config.logLevel));
  try {
    console.log(
      command === "status"
        ? await status(app)
        : await reconcile(app, parsed.values["dry-run"] ?? false),
    );
    return 0;
  } finally {
    await app.close();
  }
}

if (import.meta.main) main(Deno.args).then(Deno.exit, exitWithError);
