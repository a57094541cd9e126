import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { openTestDatabase } from "../../tests/support/database.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { createLogger } from "../log.ts";
import { upsertNews } from "../news/store.ts";
import { openEmbeddedVectorStore } from "../vectors/embedded.ts";
import type { VectorStore } from "../vectors/port.ts";
import { embedPendingNews, NEWS_COLLECTION } from "./embed_news.ts";
import { reconcileNewsVectors } from "./reconcile.ts";
import { OfflineEmbedder } from "./offline.ts";

const quiet = createLogger("error", () => {});
const embedder = new OfflineEmbedder({ dimension: 32 });

/** `count` dated news items ("Story 1"…), plus `estimated` undated ones; their ids in order. */
async function addNews(sql: Sql, count: number, estimated = false): Promise<number[]> {
  const { ids } = await upsertNews(
    sql,
    Array.from({ length: count }, (_, index) => {
      const key = crypto.randomUUID();
      return {
        entry: {
          url: `https://news.example/${key}`,
          title: `Story ${index + 1} about markets`,
          summary: null,
          publishedAt: estimated ? null : new Date(Date.UTC(2024, 0, 1) + index * 60_000),
          source: "example",
          language: null,
          symbols: [],
        },
        fetchedAt: new Date("2024-06-01T00:00:00Z"),
        rawRef: null,
        contentHash: key,
        matches: [],
      };
    }),
  );
  return ids;
}

async function storedIds(vectors: VectorStore): Promise<number[]> {
  const all: number[] = [];
  for await (const batch of vectors.ids(NEWS_COLLECTION)) all.push(...batch);
  return all;
}

async function markedIds(sql: Sql): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select id from news where embedded_with = ${embedder.id} order by id`;
  return rows.map((row) => row.id);
}

const none = { vectorsDeleted: 0, marksCleared: 0 };

Deno.test("reconcileNewsVectors", async (t) => {
  await using db = await openTestDatabase();
  await using dir = await tempDir("craveny-reconcile-");
  const { sql } = db;
  const vectors = await openEmbeddedVectorStore(dir.path, quiet);
  try {
    const ports = { sql, vectors, embedder, log: quiet };
    // More than one page (1,000 ids) on both sides, so the merge crosses page boundaries.
    const ids = await addNews(sql, 2_345);
    const [undated] = await addNews(sql, 1, true);

    await t.step("an empty store and no marks agree", async () => {
      const result = await reconcileNewsVectors(ports, { repair: true });
      assert.deepEqual(result, { missingInStore: [], missingInDb: [], repaired: none });
    });

    await t.step("after an embed run they agree", async () => {
      assert.equal((await embedPendingNews(ports, { batchSize: 500 })).embedded, ids.length);
      const result = await reconcileNewsVectors(ports, { repair: false });
      assert.deepEqual(result, { missingInStore: [], missingInDb: [], repaired: none });
    });

    // Lost vectors at both ends and around the page boundary; orphans of several kinds.
    const lost = [ids[0], ids[999], ids[1_000], ids[1_001], ids.at(-1)!];
    const unmarked = ids[1_500]; // a kill between the upsert and the mark
    const deleted = 9_000_000; // a vector whose news row is gone
    const sample = (await embedder.embed(["orphan"])).vectors[0];

    await t.step(
      "finds vectors missing in the store and orphans, and changes nothing",
      async () => {
        await vectors.delete(NEWS_COLLECTION, lost);
        await sql`update news set embedded_with = null, embedded_at = null where id = ${unmarked}`;
        // Never indexed, yet marked and with a vector (as if written by a buggy version).
        await sql`
        update news set embedded_with = ${embedder.id}, embedded_at = now() where id = ${undated}`;
        await vectors.upsert(NEWS_COLLECTION, [
          { id: deleted, vector: sample, symbols: [], publishedAt: 0 },
          { id: undated, vector: sample, symbols: [], publishedAt: 0 },
        ]);
        const before = await storedIds(vectors);

        const result = await reconcileNewsVectors(ports, { repair: false });
        assert.deepEqual(result, {
          missingInStore: lost,
          missingInDb: [unmarked, undated, deleted],
          repaired: none,
        });
        assert.deepEqual(await storedIds(vectors), before);
        // Every item but `unmarked`, plus `undated`.
        assert.equal((await markedIds(sql)).length, ids.length);
      },
    );

    await t.step("repair deletes orphans and clears the marks of lost vectors", async () => {
      const result = await reconcileNewsVectors(ports, { repair: true });
      assert.deepEqual(result, {
        missingInStore: lost,
        missingInDb: [unmarked, undated, deleted],
        repaired: { vectorsDeleted: 3, marksCleared: 5 },
      });
      const stored = await storedIds(vectors);
      const marked = await markedIds(sql);
      assert.equal(stored.length, ids.length - lost.length - 1);
      // Marked and stored agree, except the undated item, marked but never to be indexed.
      assert.deepEqual(marked.filter((id) => id !== undated), stored);
      const again = await reconcileNewsVectors(ports, { repair: false });
      assert.deepEqual(again, { missingInStore: [], missingInDb: [], repaired: none });
    });

    await t.step("the next embed run re-embeds exactly the repaired items", async () => {
      const result = await embedPendingNews(ports, {});
      assert.deepEqual(result, { embedded: lost.length + 1, skipped: 0, batches: 1 });
      assert.deepEqual(await storedIds(vectors), ids);
      const final = await reconcileNewsVectors(ports, { repair: false });
      assert.deepEqual(final, { missingInStore: [], missingInDb: [], repaired: none });
    });

    await t.step("marks of another embedder are not this embedder's business", async () => {
      await sql`update news set embedded_with = 'other:8', embedded_at = now() where id = ${
        ids[7]
      }`;
      const result = await reconcileNewsVectors(ports, { repair: false });
      assert.deepEqual(result.missingInStore, []);
      assert.deepEqual(result.missingInDb, [ids[7]]);
    });
  } finally {
    await vectors.close();
  }
});
