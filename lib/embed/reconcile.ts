// Drift between Postgres and the vector store: ids marked embedded without a vector, and vectors
// whose row is gone or no longer marked. Repair deletes orphan vectors and clears the marks of
// rows whose vector is missing, so the next embed run re-embeds them. Run it under the embed
// job's lock: vectors upserted but not yet marked would otherwise look like orphans.
import type { Sql } from "postgres";
import type { Logger } from "../log.ts";
import type { VectorStore } from "../vectors/port.ts";
import { NEWS_COLLECTION } from "./embed_news.ts";
import type { Embedder } from "./port.ts";
import { clearEmbeddedMarks, embeddedIds } from "./store.ts";

export interface ReconcilePorts {
  sql: Sql;
  vectors: VectorStore;
  embedder: Embedder;
  log: Logger;
}

export interface ReconcileResult {
  /** News ids marked as embedded by the current embedder whose vector the store lacks. */
  missingInStore: number[];
  /** Vector ids with no news row marked as embedded by the current embedder (orphans). */
  missingInDb: number[];
  /** What `repair` changed (zeros without it). */
  repaired: { vectorsDeleted: number; marksCleared: number };
}

/** Ids per SQL page, vector-store page and repair statement. */
const RECONCILE_BATCH = 1_000;

/**
 * Compares the news ids marked as embedded by `embedder` with the ids in its vector collection.
 * With `repair`, deletes the orphan vectors and clears the marks of the rows whose vector is
 * missing, so the next embed run embeds them again. Both id lists are walked in ascending order
 * side by side (a merge), so memory stays at one page of each plus the differences. Do not run it
 * while an embed run is under way (see the top of this file).
 */
export async function reconcileNewsVectors(
  ports: ReconcilePorts,
  options: { repair: boolean },
): Promise<ReconcileResult> {
  const { sql, vectors, embedder } = ports;
  const log = ports.log.child({ embedder: embedder.id });
  await vectors.ensureCollection(NEWS_COLLECTION, embedder.dimension, embedder.id);
  const inDb = ascending(embeddedIds(sql, embedder.id, RECONCILE_BATCH), "news ids");
  const inStore = ascending(vectors.ids(NEWS_COLLECTION, RECONCILE_BATCH), "vector ids");
  const missingInStore: number[] = [];
  const missingInDb: number[] = [];
  let db = await inDb.next();
  let store = await inStore.next();
  while (!db.done || !store.done) {
    if (store.done || (!db.done && db.value < store.value)) {
      missingInStore.push(db.value);
      db = await inDb.next();
    } else if (db.done || store.value < db.value) {
      missingInDb.push(store.value);
      store = await inStore.next();
    } else {
      db = await inDb.next();
      store = await inStore.next();
    }
  }

  const repaired = { vectorsDeleted: 0, marksCleared: 0 };
  if (options.repair) {
    for (let start = 0; start < missingInDb.length; start += RECONCILE_BATCH) {
      const ids = missingInDb.slice(start, start + RECONCILE_BATCH);
      await vectors.delete(NEWS_COLLECTION, ids);
      repaired.vectorsDeleted += ids.length;
    }
    for (let start = 0; start < missingInStore.length; start += RECONCILE_BATCH) {
      const ids = missingInStore.slice(start, start + RECONCILE_BATCH);
      repaired.marksCleared += await clearEmbeddedMarks(sql, ids, embedder.id);
    }
  }
  const counts = {
    missingInStore: missingInStore.length,
    missingInDb: missingInDb.length,
    ...repaired,
  };
  if (missingInStore.length || missingInDb.length) {
    log.warn("news vectors and Postgres disagree", counts);
  } else log.info("news vectors match Postgres", counts);
  return { missingInStore, missingInDb, repaired };
}

/** The ids of `batches` one by one, checking that they ascend strictly (the merge relies on it). */
async function* ascending(batches: AsyncIterable<number[]>, what: string): AsyncGenerator<number> {
  let previous = -Infinity;
  for await (const batch of batches) {
    for (const id of batch) {
      if (!(id > previous)) {
        throw new Error(`${what} are not in ascending order (${id} after ${previous})`);
      }
      previous = id;
      yield id;
    }
  }
}
