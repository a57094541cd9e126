// Embeds news into the vector store (the `embed` job's work, DESIGN §7); reconcile.ts repairs
// drift, Postgres staying the source of truth (DESIGN §1).
//
// Safe to kill at any moment: each batch is embedded, upserted into the vector store, and only
// then marked in SQL (one statement). A kill before the mark leaves the batch unmarked: the next
// run embeds it again and the upsert replaces the vectors by id, so nothing is lost or
// duplicated. A kill after the mark leaves a complete batch. Runs must not overlap (the job lock
// sees to that): a reconcile in the middle of a run would take its not-yet-marked vectors for
// orphans.
import type { Sql } from "postgres";
import type { Logger } from "../log.ts";
import type { CollectionName, VectorItem, VectorStore } from "../vectors/port.ts";
import { type Embedder, EmbedInputError, embedProblems } from "./port.ts";
import {
  clearEmbeddings,
  markEmbedded,
  markUnembeddable,
  type PendingNews,
  pendingNewsBatch,
} from "./store.ts";

export const NEWS_COLLECTION: CollectionName = "news_embeddings";
export const DEFAULT_EMBED_BATCH = 128;
export const MAX_EMBED_BATCH = 4_096;

export interface EmbedNewsPorts {
  sql: Sql;
  vectors: VectorStore;
  embedder: Embedder;
  log: Logger;
  /** Checked between batches: the run stops at the next batch boundary and returns its counts. */
  signal?: AbortSignal;
}

export interface EmbedNewsOptions {
  /** News items per embed call, vector upsert and SQL mark. Default 128. */
  batchSize?: number;
  /** Clear every mark first, then embed all news again (the upserts replace the vectors). */
  rebuild?: boolean;
}

export interface EmbedNewsResult {
  /** Items embedded and marked in this run. */
  embedded: number;
  /** Items the embedder refuses (no text to embed): marked unembeddable, never retried. */
  skipped: number;
  /** Batches completed (each one embedded, upserted and marked). */
  batches: number;
}

/** The text embedded for a news item: its title, then its summary when it has one. */
export function newsText(item: Pick<PendingNews, "title" | "summary">): string {
  return item.summary ? `${item.title}\n${item.summary}` : item.title;
}

function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_EMBED_BATCH) {
    throw new RangeError(`batchSize must be an integer from 1 to ${MAX_EMBED_BATCH}`);
  }
  return batchSize;
}

/**
 * Embeds every news item not yet embedded by `embedder` (see store.ts for the marks), in batches
 * by ascending id. News with an estimated publication time is never embedded. Stops early, with
 * the counts so far, when `signal` aborts. Errors of the embedder, the vector store or SQL
 * propagate; the batches marked before them stay marked, so the next run resumes.
 */
export async function embedPendingNews(
  ports: EmbedNewsPorts,
  options: EmbedNewsOptions = {},
): Promise<EmbedNewsResult> {
  const { sql, vectors, embedder, signal } = ports;
  const log = ports.log.child({ embedder: embedder.id });
  const batchSize = checkBatchSize(options.batchSize ?? DEFAULT_EMBED_BATCH);
  const result: EmbedNewsResult = { embedded: 0, skipped: 0, batches: 0 };

  await vectors.ensureCollection(NEWS_COLLECTION, embedder.dimension, embedder.id);
  if (options.rebuild) {
    const cleared = await clearEmbeddings(sql);
    log.info("embed rebuild: cleared every news embedding mark", { cleared });
  }

  let afterId = 0;
  while (!signal?.aborted) {
    const batch = await pendingNewsBatch(sql, embedder.id, { afterId, limit: batchSize });
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1].id;

    const embedded = await embedBatch(embedder, batch, signal);
    if (embedded === null) break; // aborted inside the embedder: nothing of this batch written
    const { items, refused } = embedded;
    if (refused.length > 0) {
      await markUnembeddable(sql, refused.map((entry) => entry.id), embedder.id);
      log.warn("news items cannot be embedded; marked so they are not retried", {
        count: refused.length,
        items: refused.slice(0, 20),
      });
    }
    if (items.length > 0) {
      // The vectors first, then the mark: a kill in between only means embedding them again.
      await vectors.upsert(NEWS_COLLECTION, items);
      await markEmbedded(sql, items.map((item) => item.id), embedder.id);
    }
    result.embedded += items.length;
    result.skipped += refused.length;
    result.batches++;
    log.debug("embedded news batch", {
      lastId: afterId,
      embedded: items.length,
      skipped: refused.length,
    });
  }
  log.info(signal?.aborted ? "news embedding interrupted" : "news embedded", { ...result });
  return result;
}

interface EmbeddedBatch {
  items: VectorItem[];
  refused: { id: number; reason: string }[];
}

/**
 * Vectors for the batch's embeddable items, and the refused ones with their reasons; null when
 * `signal` aborted the embedder's call.
 */
async function embedBatch(
  embedder: Embedder,
  batch: PendingNews[],
  signal: AbortSignal | undefined,
): Promise<EmbeddedBatch | null> {
  const texts = batch.map(newsText);
  const refusedAt = new Map<number, string>();
  for (const problem of embedProblems(texts)) refusedAt.set(problem.index, problem.reason);
  // Every adapter applies embedProblems' test, so the first call normally succeeds. Should an
  // adapter refuse more, its EmbedInputError lists exactly which: drop those and try once more.
  for (let attempt = 0;; attempt++) {
    const positions = batch.map((_, index) => index).filter((index) => !refusedAt.has(index));
    const refused = [...refusedAt].sort(([a], [b]) => a - b)
      .map(([index, reason]) => ({ id: batch[index].id, reason }));
    if (positions.length === 0) return { items: [], refused };
    let vectors: Float32Array[];
    try {
      ({ vectors } = await embedder.embed(positions.map((index) => texts[index]), signal));
    } catch (error) {
      if (signal?.aborted) return null;
      if (error instanceof EmbedInputError && attempt === 0 && error.problems.length > 0) {
        for (const problem of error.problems) {
          refusedAt.set(positions[problem.index], problem.reason);
        }
        continue;
      }
      throw error;
    }
    if (vectors.length !== positions.length) {
      throw new Error(
        `${embedder.id}: ${vectors.length} vectors for ${positions.length} texts`,
      );
    }
    const items = positions.map((index, at): VectorItem => ({
      id: batch[index].id,
      vector: vectors[at],
      symbols: batch[index].symbols,
      publishedAt: batch[index].publishedAt.getTime(),
    }));
    return { items, refused };
  }
}

// ---------------------------------------------------------------------------------------------
// Reconciling the vector store with Postgres.
