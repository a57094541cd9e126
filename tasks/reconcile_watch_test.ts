// A real reconcile (lib/embed/reconcile.ts) over a real database and the embedded vector store,
// stopped through `watched` as Ctrl-C would: during the comparison nothing changes; during the
// repair whole batches are done and a second run finishes the rest.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { NEWS_COLLECTION } from "../lib/embed/embed_news.ts";
import { OfflineEmbedder } from "../lib/embed/offline.ts";
import { reconcileNewsVectors } from "../lib/embed/reconcile.ts";
import { createLogger } from "../lib/log.ts";
import type { VectorStore } from "../lib/vectors/port.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { addTestNews } from "../tests/support/news.ts";
import { openEmbeddedTestVectorStore } from "../tests/support/vectors.ts";
import { Stopped, type Watched, watched } from "./reconcile_watch.ts";

const embedder = new OfflineEmbedder();
const log = createLogger("error", () => {});

/** `news` rows marked as embedded; vectors for the first `withVector` of them plus `orphans`. */
async function drift(
  sql: Sql,
  store: VectorStore,
  news: number,
  withVector: number,
  orphans: number,
) {
  const published = new Date("2025-01-02T12:00:00Z");
  const ids = await addTestNews(
    sql,
    Array.from({ length: news }, (_, i) => ({ title: `Story ${i}`, publishedAt: published })),
    published,
  );
  await sql`
    update news set embedded_with = ${embedder.id}, embedded_at = now()
    where id = any(${ids}::bigint[])`;
  await store.ensureCollection(NEWS_COLLECTION, embedder.dimension, embedder.id);
  const vector = new Float32Array(embedder.dimension).fill(1 / Math.sqrt(embedder.dimension));
  const orphanIds = Array.from({ length: orphans }, (_, i) => ids.at(-1)! + 1 + i);
  const stored = [...ids.slice(0, withVector), ...orphanIds];
  for (let start = 0; start < stored.length; start += 500) {
    await store.upsert(
      NEWS_COLLECTION,
      stored.slice(start, start + 500).map((id) => ({
        id,
        vector,
        symbols: [],
        publishedAt: published.getTime(),
      })),
    );
  }
}

/** Counts that abort `controller` once `field` reaches `at`, as Ctrl-C at that moment would. */
function abortingAt(controller: AbortController, field: keyof Watched, at: number): Watched {
  const values: Watched = { compared: 0, deleted: 0 };
  return {
    get compared() {
      return values.compared;
    },
    set compared(n) {
      values.compared = n;
      if (field === "compared" && n >= at) controller.abort();
    },
    get deleted() {
      return values.deleted;
    },
    set deleted(n) {
      values.deleted = n;
      if (field === "deleted" && n >= at) controller.abort();
    },
  };
}

const marked = async (sql: Sql) =>
  (await sql<{ n: number }[]>`
    select count(*)::int as n from news where embedded_with = ${embedder.id}`)[0].n;

Deno.test("reconcile stopped during the comparison changes nothing", async () => {
  await using db = await openTestDatabase();
  await using vectors = await openEmbeddedTestVectorStore();
  // 1150 vectors: two pages of ids; 50 rows whose vector is missing.
  await drift(db.sql, vectors.store, 1_200, 1_150, 0);
  const controller = new AbortController();
  const counts = abortingAt(controller, "compared", 1_000);
  await assert.rejects(
    reconcileNewsVectors({
      sql: db.sql,
      vectors: watched(vectors.store, controller.signal, counts),
      embedder,
      log,
    }, { repair: true }),
    Stopped,
  );
  assert.equal(counts.compared, 1_000);
  assert.equal(counts.deleted, 0);
  assert.equal(await marked(db.sql), 1_200, "no mark was cleared");
  assert.equal(await vectors.store.count(NEWS_COLLECTION), 1_150);
});

Deno.test("reconcile stopped during the repair did whole batches; a second run finishes", async () => {
  await using db = await openTestDatabase();
  await using vectors = await openEmbeddedTestVectorStore();
  // 1500 orphan vectors: two delete batches; 500 rows whose vector is missing.
  await drift(db.sql, vectors.store, 600, 100, 1_500);
  const controller = new AbortController();
  const counts = abortingAt(controller, "deleted", 1);
  const ports = { sql: db.sql, embedder, log };
  await assert.rejects(
    reconcileNewsVectors(
      { ...ports, vectors: watched(vectors.store, controller.signal, counts) },
      { repair: true },
    ),
    Stopped,
  );
  assert.equal(counts.compared, 1_600);
  assert.equal(counts.deleted, 1_000, "the first batch of orphans, whole");
  assert.equal(await vectors.store.count(NEWS_COLLECTION), 600);
  assert.equal(await marked(db.sql), 600, "marks are cleared after the deletes");

  const again = await reconcileNewsVectors({ ...ports, vectors: vectors.store }, { repair: true });
  assert.equal(again.repaired.vectorsDeleted, 500);
  assert.equal(again.repaired.marksCleared, 500);
  assert.equal(await vectors.store.count(NEWS_COLLECTION), 100);
  assert.equal(await marked(db.sql), 100);
});

Deno.test("an unaborted watch passes everything through and counts it", async () => {
  await using db = await openTestDatabase();
  await using vectors = await openEmbeddedTestVectorStore();
  await drift(db.sql, vectors.store, 30, 20, 5);
  const counts: Watched = { compared: 0, deleted: 0 };
  const result = await reconcileNewsVectors({
    sql: db.sql,
    vectors: watched(vectors.store, new AbortController().signal, counts),
    embedder,
    log,
  }, { repair: true });
  assert.deepEqual(result.repaired, { vectorsDeleted: 5, marksCleared: 10 });
  assert.deepEqual(counts, { compared: 25, deleted: 5 });
});
