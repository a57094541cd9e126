// Reconcile (lib/embed/reconcile.ts) seen from `deno task vectors reconcile`: its batch
// boundaries, where it can be counted for the progress line and stopped on Ctrl-C.
import type { VectorStore } from "../lib/vectors/port.ts";

/** Thrown at a batch boundary of reconcile once the operator asked it to stop. */
export class Stopped extends Error {}

export interface Watched {
  /** Vector ids compared so far. */
  compared: number;
  /** Orphan vectors deleted so far. */
  deleted: number;
}

/**
 * `store` as reconcile uses it, with its batch boundaries made visible: every page of ids it reads
 * and every batch it deletes is counted, and refused with `Stopped` once `signal` has aborted.
 * Reconcile writes nothing before its repair and each repair batch stands alone, so stopping at
 * one of these points leaves nothing half-done.
 */
export function watched(store: VectorStore, signal: AbortSignal, counts: Watched): VectorStore {
  const checkpoint = () => {
    if (signal.aborted) throw new Stopped();
  };
  return {
    kind: store.kind,
    ensureCollection: (name, dimension, embedderId) =>
      store.ensureCollection(name, dimension, embedderId),
    upsert: (name, items) => store.upsert(name, items),
    search: (name, vector, searchOptions) => store.search(name, vector, searchOptions),
    count: (name) => store.count(name),
    ping: () => store.ping(),
    close: () => store.close(),
    async delete(name, ids) {
      checkpoint();
      await store.delete(name, ids);
      counts.deleted += ids.length;
    },
    async *ids(name, batchSize) {
      for await (const batch of store.ids(name, batchSize)) {
        checkpoint();
        counts.compared += batch.length;
        yield batch;
      }
    },
  };
}
