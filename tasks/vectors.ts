// `deno task vectors …`: the vector store as the operator sees it. `status` compares counts;
// `reconcile` finds ids present on one side only (Postgres or the vector store) and repairs them,
// with progress on stderr and a clean stop on Ctrl-C.
import { openAppContext, type RunningContext } from "../lib/bootstrap.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { NEWS_COLLECTION } from "../lib/embed/embed_news.ts";
import { reconcileNewsVectors } from "../lib/embed/reconcile.ts";
import { formatCount } from "../lib/imports/progress.ts";
import { acquireJobLock } from "../lib/jobs/lock.ts";
import { createLogger } from "../lib/log.ts";
import {
  INTERRUPTED_EXIT,
  options,
  runTask,
  showProgress,
  stopOnInterrupt,
  UsageError,
} from "./cli.ts";
import { Stopped, type Watched, watched } from "./reconcile_watch.ts";

const usage = `usage: deno task vectors COMMAND

  status                 the embedder, the vector store and how many news vectors it holds
  reconcile [--dry-run]  compare news ids in Postgres with the vector store and repair drift:
                         orphan vectors are deleted, rows whose vector is missing are re-queued
                         for the next embed run (--dry-run: report only)

reconcile holds the embed job's lock while it runs. Ctrl-C stops it between batches (exit 130):
during the comparison nothing has changed yet; during the repair, run it again to finish.`;

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

async function reconcile(app: RunningContext, dryRun: boolean): Promise<number> {
  // Reconciling while an embed run is under way would take its not-yet-marked vectors for orphans.
  const lock = await acquireJobLock(app, "embed", app.config.jobLockTtlMs);
  if (!lock) throw new Error("an embed run holds its lock: try again when it has finished");
  try {
    using interrupt = stopOnInterrupt();
    const { embedder, vectors } = app;
    await vectors.ensureCollection(NEWS_COLLECTION, embedder.dimension, embedder.id);
    const total = await vectors.count(NEWS_COLLECTION);
    const counts: Watched = { compared: 0, deleted: 0 };
    using _progress = showProgress(() =>
      `reconcile: ${formatCount(counts.compared)} of ${formatCount(total)} vectors compared` +
      (counts.deleted ? `, ${formatCount(counts.deleted)} orphans deleted` : "")
    );
    let result;
    try {
      result = await reconcileNewsVectors({
        sql: app.db.sql,
        vectors: watched(vectors, interrupt.signal, counts),
        embedder,
        log: app.log,
      }, { repair: !dryRun });
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
      console.error(
        counts.deleted
          ? `reconcile interrupted during the repair (${formatCount(counts.deleted)} orphan ` +
            "vectors deleted): run it again to finish"
          : "reconcile interrupted before the repair: nothing was changed",
      );
      return INTERRUPTED_EXIT;
    }
    const ids = (list: number[]) =>
      list.length === 0
        ? ""
        : `: ${list.slice(0, SHOWN_IDS).join(", ")}${list.length > SHOWN_IDS ? ", …" : ""}`;
    console.log([
      `missing in the vector store  ${result.missingInStore.length}${ids(result.missingInStore)}`,
      `missing in Postgres          ${result.missingInDb.length}${ids(result.missingInDb)}`,
      dryRun
        ? "dry run: nothing changed"
        : `repaired: ${result.repaired.vectorsDeleted} orphan vectors deleted, ` +
          `${result.repaired.marksCleared} news items queued for the next embed run`,
    ].join("\n"));
    return 0;
  } finally {
    await lock.release();
  }
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = options(args, { "dry-run": { type: "boolean" } });
  const [command, ...rest] = positionals;
  if (command !== "status" && command !== "reconcile") {
    throw new UsageError(
      command ? `unknown command ${JSON.stringify(command)}` : "expected a COMMAND",
    );
  }
  if (rest.length) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (command === "status" && values["dry-run"]) throw new UsageError("--dry-run is for reconcile");
  const config = loadConfig(await readEnvironment());
  const app = await openAppContext(config, createLogger(config.logLevel));
  try {
    if (command === "status") {
      console.log(await status(app));
      return 0;
    }
    return await reconcile(app, values["dry-run"] ?? false);
  } finally {
    await app.close();
  }
}

if (import.meta.main) runTask(usage, main);
