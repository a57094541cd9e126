import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { openTestDatabase, type TestDatabase } from "../../tests/support/database.ts";
import { addTestNews, type TestNewsSpec } from "../../tests/support/news.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { createLogger } from "../log.ts";
import { upsertStocks } from "../stocks/store.ts";
import { openEmbeddedVectorStore } from "../vectors/embedded.ts";
import type {
  CollectionName,
  SearchOptions,
  VectorHit,
  VectorItem,
  VectorStore,
} from "../vectors/port.ts";
import { type EmbedNewsPorts, embedPendingNews, NEWS_COLLECTION, newsText } from "./embed_news.ts";
import { OfflineEmbedder } from "./offline.ts";
import { type Embedder, EmbedInputError, type EmbedResult } from "./port.ts";
import { unembeddableMark } from "./store.ts";

const quiet = createLogger("error", () => {});
const embedder = new OfflineEmbedder();

interface NewsSpec extends Omit<TestNewsSpec, "publishedAt"> {
  /** Default: a minute apart from 2024-03-01 12:00Z, in order. */
  publishedAt?: Date | null;
}

/** Stores news (linked to already stored stocks by symbol) and returns their ids in order. */
function addNews(sql: Sql, specs: NewsSpec[]): Promise<number[]> {
  return addTestNews(
    sql,
    specs.map((spec, index) => ({
      ...spec,
      publishedAt: spec.publishedAt === undefined
        ? new Date(Date.UTC(2024, 2, 1, 12, index))
        : spec.publishedAt,
    })),
    new Date("2024-03-05T00:00:00Z"),
  );
}

async function marks(sql: Sql): Promise<Map<number, string | null>> {
  const rows = await sql<{ id: number; embedded_with: string | null }[]>`
    select id, embedded_with from news order by id`;
  return new Map(rows.map((row) => [row.id, row.embedded_with]));
}

async function storedIds(vectors: VectorStore): Promise<number[]> {
  const all: number[] = [];
  for await (const batch of vectors.ids(NEWS_COLLECTION)) all.push(...batch);
  return all;
}

interface World extends AsyncDisposable {
  db: TestDatabase;
  sql: Sql;
  vectors: VectorStore;
  ports(overrides?: Partial<EmbedNewsPorts>): EmbedNewsPorts;
}

/** A migrated database with AAPL and MSFT, and an embedded vector store in a temporary dir. */
async function openWorld(): Promise<World> {
  const db = await openTestDatabase();
  const dir = await tempDir("craveny-embed-news-");
  const vectors = await openEmbeddedVectorStore(dir.path, quiet);
  await upsertStocks(db.sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple" },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft" },
  ]);
  return {
    db,
    sql: db.sql,
    vectors,
    ports: (overrides = {}) => ({ sql: db.sql, vectors, embedder, log: quiet, ...overrides }),
    async [Symbol.asyncDispose]() {
      await vectors.close().finally(() => dir[Symbol.asyncDispose]()).finally(() => db.dispose());
    },
  };
}

/** Ten embeddable items, one with an estimated date, two with nothing to embed. */
async function seed(sql: Sql) {
  const good = await addNews(sql, [
    { title: "Apple shares surge after record iPhone sales", symbols: ["AAPL"] },
    { title: "Microsoft cloud revenue beats estimates", symbols: ["MSFT", "AAPL"] },
    { title: "", summary: "Apple supplier warns of weaker demand", symbols: ["AAPL"] },
    ...Array.from({ length: 7 }, (_, i) => ({ title: `Market wrap number ${i + 1}` })),
  ]);
  const [estimated] = await addNews(sql, [{ title: "Undated Apple rumour", publishedAt: null }]);
  const unembeddable = await addNews(sql, [
    { title: "" },
    { title: " \u200b ", summary: "\t" },
  ]);
  return { good, estimated, unembeddable };
}

/** Delegates to a VectorStore; `beforeUpsert` / `afterUpsert` may throw to simulate failures. */
class HookedStore implements VectorStore {
  readonly kind = "embedded";
  upserts = 0;
  constructor(
    readonly inner: VectorStore,
    readonly hooks: {
      beforeUpsert?: (call: number) => void;
      afterUpsert?: (call: number) => void;
    },
  ) {}
  ensureCollection(name: CollectionName, dimension: number, embedderId: string) {
    return this.inner.ensureCollection(name, dimension, embedderId);
  }
  async upsert(name: CollectionName, items: VectorItem[]): Promise<void> {
    const call = ++this.upserts;
    this.hooks.beforeUpsert?.(call);
    await this.inner.upsert(name, items);
    this.hooks.afterUpsert?.(call);
  }
  delete(name: CollectionName, ids: number[]) {
    return this.inner.delete(name, ids);
  }
  search(name: CollectionName, vector: Float32Array, options: SearchOptions): Promise<VectorHit[]> {
    return this.inner.search(name, vector, options);
  }
  count(name: CollectionName) {
    return this.inner.count(name);
  }
  ids(name: CollectionName, batchSize?: number) {
    return this.inner.ids(name, batchSize);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

/** Delegates to an Embedder, counting calls and texts; `before` runs ahead of each call. */
class SpyEmbedder implements Embedder {
  readonly name: string;
  readonly dimension: number;
  readonly id: string;
  calls = 0;
  texts: string[] = [];
  constructor(readonly inner: Embedder, readonly before?: (call: number, texts: string[]) => void) {
    this.name = inner.name;
    this.dimension = inner.dimension;
    this.id = inner.id;
  }
  embed(texts: string[], signal?: AbortSignal): Promise<EmbedResult> {
    this.calls++;
    this.texts.push(...texts);
    try {
      this.before?.(this.calls, texts);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.inner.embed(texts, signal);
  }
}

Deno.test("newsText: the title, then the summary when there is one", () => {
  assert.equal(newsText({ title: "Title", summary: null }), "Title");
  assert.equal(newsText({ title: "Title", summary: "" }), "Title");
  assert.equal(newsText({ title: "Title", summary: "Body" }), "Title\nBody");
});

Deno.test("embedPendingNews: batches, marks, and a second run that embeds nothing", async (t) => {
  await using world = await openWorld();
  const { sql, vectors } = world;
  const { good, estimated, unembeddable } = await seed(sql);
  const spy = new SpyEmbedder(embedder);

  await t.step("embeds the embeddable news in batches of batchSize, by id", async () => {
    const result = await embedPendingNews(world.ports({ embedder: spy }), { batchSize: 4 });
    // 12 candidates (the estimated item is never one): batches of 4, 4 and 4.
    assert.deepEqual(result, { embedded: 10, skipped: 2, batches: 3 });
    assert.equal(await vectors.count(NEWS_COLLECTION), 10);
    assert.deepEqual(await storedIds(vectors), good);
    assert.equal(spy.calls, 3);
    assert.equal(spy.texts[2], "\nApple supplier warns of weaker demand");
  });

  await t.step("marks: embedder id, unembeddable marker, estimated untouched", async () => {
    const marked = await marks(sql);
    for (const id of good) assert.equal(marked.get(id), embedder.id);
    for (const id of unembeddable) {
      assert.equal(marked.get(id), `${embedder.id}#unembeddable`);
      assert.equal(marked.get(id), unembeddableMark(embedder.id));
    }
    assert.equal(marked.get(estimated), null);
    const [row] = await sql<{ unmarked_with_time: number }[]>`
      select count(*) filter (where (embedded_at is null) <> (embedded_with is null))
        as unmarked_with_time from news`;
    assert.equal(row.unmarked_with_time, 0);
  });

  await t.step("vectors carry the symbols (best match first) and publication time", async () => {
    const [query] = (await embedder.embed(["Microsoft cloud revenue beats estimates"])).vectors;
    const [hit] = await vectors.search(NEWS_COLLECTION, query, { k: 1, symbols: ["AAPL"] });
    assert.equal(hit.id, good[1]);
    assert.equal(hit.publishedAt, Date.UTC(2024, 2, 1, 12, 1));
    assert.ok(hit.score > 0.99);
    const msft = await vectors.search(NEWS_COLLECTION, query, { k: 10, symbols: ["MSFT"] });
    assert.deepEqual(msft.map((h) => h.id), [good[1]]);
  });

  await t.step("a second run embeds nothing and calls the embedder not once", async () => {
    const before = spy.calls;
    const result = await embedPendingNews(world.ports({ embedder: spy }), { batchSize: 4 });
    assert.deepEqual(result, { embedded: 0, skipped: 0, batches: 0 });
    assert.equal(spy.calls, before);
    assert.equal(await vectors.count(NEWS_COLLECTION), 10);
  });

  await t.step("new news: only it is embedded", async () => {
    const [fresh] = await addNews(sql, [{ title: "Apple unveils a new chip", symbols: ["AAPL"] }]);
    const result = await embedPendingNews(world.ports(), {});
    assert.deepEqual(result, { embedded: 1, skipped: 0, batches: 1 });
    assert.equal((await marks(sql)).get(fresh), embedder.id);
    assert.equal(await vectors.count(NEWS_COLLECTION), 11);
  });

  await t.step("rebuild clears every mark and embeds everything again", async () => {
    const [{ before }] = await sql<{ before: Date }[]>`
      select max(embedded_at) as before from news`;
    const result = await embedPendingNews(world.ports(), { rebuild: true, batchSize: 5 });
    // 11 embeddable + 2 unembeddable candidates; the estimated item still never.
    assert.deepEqual(result, { embedded: 11, skipped: 2, batches: 3 });
    assert.equal(await vectors.count(NEWS_COLLECTION), 11);
    const marked = await marks(sql);
    assert.equal(marked.get(estimated), null);
    const [{ stale }] = await sql<{ stale: number }[]>`
      select count(*) as stale from news where embedded_at <= ${before}`;
    assert.equal(stale, 0);
  });

  await t.step("another embedder: everything again, into its own collection", async () => {
    const small = new OfflineEmbedder({ dimension: 64 });
    const result = await embedPendingNews(world.ports({ embedder: small }), {});
    assert.deepEqual(result, { embedded: 11, skipped: 2, batches: 1 });
    assert.equal(await vectors.count(NEWS_COLLECTION), 11); // the 64-dimensional collection
    const marked = await marks(sql);
    for (const id of good) assert.equal(marked.get(id), small.id);
    for (const id of unembeddable) assert.equal(marked.get(id), unembeddableMark(small.id));
  });
});

Deno.test("embedPendingNews: items an adapter refuses beyond embedProblems are skipped", async () => {
  await using world = await openWorld();
  const { sql } = world;
  const ids = await addNews(sql, [
    { title: "fine one" },
    { title: "REFUSED by the adapter" },
    { title: "fine two" },
  ]);
  const picky = new SpyEmbedder(embedder, (_call, texts) => {
    const problems = texts.flatMap((text, index) =>
      text.startsWith("REFUSED") ? [{ index, reason: "refused" }] : []
    );
    if (problems.length) throw new EmbedInputError(embedder.id, problems, texts.length);
  });
  const result = await embedPendingNews(world.ports({ embedder: picky }), {});
  assert.deepEqual(result, { embedded: 2, skipped: 1, batches: 1 });
  assert.equal(picky.calls, 2);
  const marked = await marks(sql);
  assert.deepEqual(
    ids.map((id) => marked.get(id)),
    [embedder.id, unembeddableMark(embedder.id), embedder.id],
  );
  assert.deepEqual(await storedIds(world.vectors), [ids[0], ids[2]]);
  const again = await embedPendingNews(world.ports({ embedder: picky }), {});
  assert.deepEqual(again, { embedded: 0, skipped: 0, batches: 0 });
});

Deno.test("embedPendingNews: rejects a bad batch size before doing anything", async () => {
  await using world = await openWorld();
  for (const batchSize of [0, -1, 1.5, 100_000]) {
    await assert.rejects(embedPendingNews(world.ports(), { batchSize }), RangeError);
  }
});

Deno.test("embedPendingNews: stopped after the first batch, a rerun completes", async () => {
  await using world = await openWorld();
  const { sql, vectors } = world;
  const { good } = await seed(sql);
  const controller = new AbortController();
  const store = new HookedStore(vectors, { afterUpsert: () => controller.abort() });
  const first = await embedPendingNews(
    world.ports({ vectors: store, signal: controller.signal }),
    { batchSize: 4 },
  );
  assert.deepEqual(first, { embedded: 4, skipped: 0, batches: 1 });
  const marked = await marks(sql);
  assert.deepEqual(good.filter((id) => marked.get(id) === embedder.id), good.slice(0, 4));

  const rest = await embedPendingNews(world.ports(), { batchSize: 4 });
  assert.deepEqual(rest, { embedded: 6, skipped: 2, batches: 2 });
  assert.equal(await vectors.count(NEWS_COLLECTION), good.length);
  assert.deepEqual(await storedIds(vectors), good);
});

Deno.test("embedPendingNews: aborted inside the embedder, the batch is not written", async () => {
  await using world = await openWorld();
  const { sql, vectors } = world;
  const { good } = await seed(sql);
  const controller = new AbortController();
  // The second call finds the signal aborted: the offline embedder rejects with an AbortError.
  const spy = new SpyEmbedder(embedder, (call) => {
    if (call === 2) controller.abort();
  });
  const first = await embedPendingNews(
    world.ports({ embedder: spy, signal: controller.signal }),
    { batchSize: 4 },
  );
  assert.deepEqual(first, { embedded: 4, skipped: 0, batches: 1 });
  assert.equal(await vectors.count(NEWS_COLLECTION), 4);
  const rest = await embedPendingNews(world.ports(), { batchSize: 4 });
  assert.deepEqual(rest, { embedded: 6, skipped: 2, batches: 2 });
  assert.deepEqual(await storedIds(vectors), good);
});

Deno.test("embedPendingNews: a failing vector store", async (t) => {
  await t.step("fails before writing: error propagates, earlier batches stay", async () => {
    await using world = await openWorld();
    const { sql, vectors } = world;
    const { good } = await seed(sql);
    const store = new HookedStore(vectors, {
      beforeUpsert: (call) => {
        if (call === 2) throw new Error("vector store went away");
      },
    });
    await assert.rejects(
      embedPendingNews(world.ports({ vectors: store }), { batchSize: 4 }),
      /vector store went away/,
    );
    const marked = await marks(sql);
    assert.deepEqual(good.filter((id) => marked.get(id) === embedder.id), good.slice(0, 4));
    assert.equal(await vectors.count(NEWS_COLLECTION), 4);

    const resumed = await embedPendingNews(world.ports(), { batchSize: 4 });
    assert.deepEqual(resumed, { embedded: 6, skipped: 2, batches: 2 });
    assert.deepEqual(await storedIds(vectors), good);
  });

  await t.step(
    "killed between the upsert and the mark: the rerun re-upserts, no duplicates",
    async () => {
      await using world = await openWorld();
      const { sql, vectors } = world;
      const { good } = await seed(sql);
      const store = new HookedStore(vectors, {
        afterUpsert: (call) => {
          if (call === 2) throw new Error("killed after the upsert");
        },
      });
      await assert.rejects(
        embedPendingNews(world.ports({ vectors: store }), { batchSize: 4 }),
        /killed after the upsert/,
      );
      // Batch 2's vectors are stored but not marked.
      assert.equal(await vectors.count(NEWS_COLLECTION), 8);
      const marked = await marks(sql);
      assert.deepEqual(good.filter((id) => marked.get(id) === embedder.id), good.slice(0, 4));

      const resumed = await embedPendingNews(world.ports(), { batchSize: 4 });
      assert.deepEqual(resumed, { embedded: 6, skipped: 2, batches: 2 });
      const [{ rows }] = await sql<{ rows: number }[]>`
      select count(*) as rows from news where embedded_with = ${embedder.id}`;
      assert.equal(rows, good.length);
      assert.equal(await vectors.count(NEWS_COLLECTION), rows);
      assert.deepEqual(await storedIds(vectors), good);
    },
  );
});
