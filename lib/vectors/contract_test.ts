// One behavioural contract for every VectorStore adapter: embedded always, Milvus when
// MILVUS_ADDRESS is set. Each test gets its own data directory (embedded) or collection-name prefix
// (Milvus), so tests run in parallel against one server without colliding.
import assert from "node:assert/strict";
import { dropMilvusNamespace, testNamespace } from "../../tests/support/vectors.ts";
import { createLogger } from "../log.ts";
import { openEmbeddedVectorStore } from "./embedded.ts";
import { openMilvusVectorStore } from "./milvus.ts";
import {
  type CollectionName,
  type VectorHit,
  type VectorItem,
  type VectorStore,
  VectorStoreError,
} from "./port.ts";

const milvusAddress = Deno.env.get("MILVUS_ADDRESS");
if (!milvusAddress) console.log("vector contract (milvus): skipped: MILVUS_ADDRESS not set");

const quiet = createLogger("error", () => {});
const NEWS: CollectionName = "news_embeddings";
const PREDICTIONS: CollectionName = "prediction_embeddings";
const T = Date.UTC(2024, 2, 15, 14, 30); // the "as of" instant of the point-in-time tests
const DAY = 86_400_000;

interface Subject {
  store: VectorStore;
  /** Closes the store and opens it again on the same data (directory or collection prefix). */
  reopen(): Promise<VectorStore>;
  /** Whether search is exact (embedded) or approximate (Milvus' HNSW). */
  exact: boolean;
}

interface Adapter {
  name: string;
  ignore: boolean;
  open(): Promise<Subject & AsyncDisposable>;
}

const adapters: Adapter[] = [
  {
    name: "embedded",
    ignore: false,
    async open() {
      const dir = await Deno.makeTempDir({ prefix: "craveny-vectors-" });
      let store: VectorStore = await openEmbeddedVectorStore(dir, quiet);
      return {
        get store() {
          return store;
        },
        exact: true,
        async reopen() {
          await store.close();
          store = await openEmbeddedVectorStore(dir, quiet);
          return store;
        },
        async [Symbol.asyncDispose]() {
          await store.close();
          await Deno.remove(dir, { recursive: true });
        },
      };
    },
  },
  {
    name: "milvus",
    ignore: !milvusAddress,
    async open() {
      const address = milvusAddress ?? "";
      const namespace = testNamespace();
      const open = () => openMilvusVectorStore({ address, log: quiet, namespace });
      let store: VectorStore = await open();
      return {
        get store() {
          return store;
        },
        exact: false,
        async reopen() {
          await store.close();
          store = await open();
          return store;
        },
        async [Symbol.asyncDispose]() {
          await store.close();
          await dropMilvusNamespace(address, namespace);
        },
      };
    },
  },
];

function contract(name: string, fn: (subject: Subject) => Promise<void>) {
  for (const adapter of adapters) {
    Deno.test({
      name: `vector contract (${adapter.name}): ${name}`,
      ignore: adapter.ignore,
      async fn() {
        await using subject = await adapter.open();
        await fn(subject);
      },
    });
  }
}

/** A deterministic pseudo-random source (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomVector(next: () => number, dimension: number): Float32Array {
  return Float32Array.from({ length: dimension }, () => next() * 2 - 1);
}

/** `base` nudged by `amount` of noise: a near-duplicate. */
function nearby(next: () => number, base: Float32Array, amount: number): Float32Array {
  return base.map((value) => value + (next() * 2 - 1) * amount);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return dot / Math.sqrt(aa * bb);
}

/** The exact answer, computed in float64 independently of any adapter. */
function exactSearch(
  items: VectorItem[],
  query: Float32Array,
  k: number,
  filter: { symbols?: string[]; publishedBefore?: number } = {},
): VectorHit[] {
  return items
    .filter((item) =>
      filter.publishedBefore === undefined || item.publishedAt < filter.publishedBefore
    )
    .filter((item) => !filter.symbols || item.symbols.some((s) => filter.symbols?.includes(s)))
    .map((item) => ({
      id: item.id,
      score: cosine(item.vector, query),
      publishedAt: item.publishedAt,
    }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}

function item(
  id: number,
  vector: number[] | Float32Array,
  symbols: string[] = [],
  publishedAt = T - DAY,
): VectorItem {
  return { id, vector: Float32Array.from(vector), symbols, publishedAt };
}

const ids = (hits: VectorHit[]) => hits.map((hit) => hit.id);

contract("search orders by cosine similarity and returns at most k hits", async ({ store }) => {
  await store.ensureCollection(NEWS, 4, "test-embedder:4");
  const items = [
    item(1, [1, 0, 0, 0], ["AAPL"], T - 5 * DAY),
    item(2, [0.9, 0.1, 0, 0]),
    item(3, [0, 1, 0, 0]),
    item(4, [-1, 0, 0, 0]),
    item(5, [0.5, 0.5, 0.5, 0.5]),
  ];
  await store.upsert(NEWS, items);
  const query = Float32Array.from([2, 0, 0, 0]); // length does not matter for cosine
  const hits = await store.search(NEWS, query, { k: 10 });
  assert.deepEqual(ids(hits), [1, 2, 5, 3, 4]);
  const expected = exactSearch(items, query, 10);
  hits.forEach((hit, i) => {
    assert.ok(Math.abs(hit.score - expected[i].score) < 1e-5, `score of ${hit.id}`);
    assert.equal(hit.publishedAt, expected[i].publishedAt);
  });
  assert.equal(hits[0].publishedAt, T - 5 * DAY);
  assert.ok(Math.abs(hits[4].score + 1) < 1e-5, "opposite vectors score -1");
  assert.deepEqual(ids(await store.search(NEWS, query, { k: 2 })), [1, 2]);
  assert.deepEqual(ids(await store.search(NEWS, query, { k: 1 })), [1]);
});

contract("the symbols filter keeps items tagged with any of the symbols", async ({ store }) => {
  await store.ensureCollection(NEWS, 3, "test-embedder:3");
  await store.upsert(NEWS, [
    item(1, [1, 0, 0], ["AAPL"]),
    item(2, [1, 0.1, 0], ["MSFT"]),
    item(3, [1, 0.2, 0], ["AAPL", "MSFT"]),
    item(4, [1, 0.3, 0], []),
    item(5, [1, 0.4, 0], ["TSLA"]),
  ]);
  const query = Float32Array.from([1, 0, 0]);
  assert.deepEqual(ids(await store.search(NEWS, query, { k: 10, symbols: ["MSFT", "NVDA"] })), [
    2,
    3,
  ]);
  assert.deepEqual(ids(await store.search(NEWS, query, { k: 10, symbols: ["AAPL"] })), [1, 3]);
  assert.deepEqual(ids(await store.search(NEWS, query, { k: 1, symbols: ["TSLA"] })), [5]);
  assert.deepEqual(await store.search(NEWS, query, { k: 10, symbols: ["NVDA"] }), []);
  assert.deepEqual(await store.search(NEWS, query, { k: 10, symbols: [] }), [], "empty list");
  assert.equal((await store.search(NEWS, query, { k: 10 })).length, 5, "no filter: everything");
});

contract("symbol filter values are data, never expression syntax", async ({ store }) => {
  await store.ensureCollection(NEWS, 3, "test-embedder:3");
  const odd = ['A"B', "C\\", "D'E", "] or true", '" or 1 == 1 or "', "ÄÖ.ü-^"];
  await store.upsert(NEWS, [
    ...odd.map((symbol, i) => item(i + 1, [1, i / 10, 0], [symbol])),
    item(100, [1, 0, 0], ["PLAIN"]),
  ]);
  const query = Float32Array.from([1, 0, 0]);
  for (const [i, symbol] of odd.entries()) {
    assert.deepEqual(ids(await store.search(NEWS, query, { k: 10, symbols: [symbol] })), [i + 1]);
  }
  for (const attack of ['") or ("', "\\", '"', 'x\\" or true or \\"y']) {
    assert.deepEqual(await store.search(NEWS, query, { k: 10, symbols: [attack] }), [], attack);
  }
});

contract(
  "publishedBefore is strict: an item published exactly at T is excluded",
  async ({ store }) => {
    await store.ensureCollection(NEWS, 2, "test-embedder:2");
    await store.upsert(NEWS, [
      item(1, [1, 0], [], T),
      item(2, [1, 0.01], [], T - 1),
      item(3, [1, 0.02], [], T + 1),
      item(4, [1, 0.03], [], T - DAY),
    ]);
    const query = Float32Array.from([1, 0]);
    assert.deepEqual(ids(await store.search(NEWS, query, { k: 10, publishedBefore: T })), [2, 4]);
    assert.deepEqual(ids(await store.search(NEWS, query, { k: 10, publishedBefore: T + 1 })), [
      1,
      2,
      4,
    ]);
    assert.deepEqual(ids(await store.search(NEWS, query, { k: 10, publishedBefore: T - DAY })), []);
  },
);

contract(
  "point in time: near-duplicates from T+1s and a future canary never leak",
  async ({ store }) => {
    const dimension = 16;
    await store.ensureCollection(NEWS, dimension, "test-embedder:16");
    const next = random(7);
    const past: VectorItem[] = [];
    for (let id = 1; id <= 300; id++) {
      past.push(
        item(id, randomVector(next, dimension), [id % 2 ? "AAPL" : "MSFT"], T - id * 60_000),
      );
    }
    const queries = Array.from({ length: 8 }, () => randomVector(next, dimension));
    // For every query: near-duplicates published one second and one millisecond after T.
    const future: VectorItem[] = queries.flatMap((query, q) => [
      item(10_000 + q, nearby(next, query, 0.001), ["AAPL", "MSFT"], T + 1_000),
      item(20_000 + q, nearby(next, query, 0.001), ["AAPL"], T),
    ]);
    const canary = item(99_999, queries[0], ["AAPL", "MSFT", "CANARY"], T + 365 * DAY);
    await store.upsert(NEWS, [...past, ...future, canary]);

    for (const query of [...queries, canary.vector]) {
      for (const symbols of [undefined, ["AAPL"], ["MSFT", "CANARY"]]) {
        for (const k of [1, 10, 50]) {
          const hits = await store.search(NEWS, query, { k, publishedBefore: T, symbols });
          assert.equal(hits.length, k, "enough past items to fill k");
          for (const hit of hits) {
            assert.ok(hit.publishedAt < T, `hit ${hit.id} published at or after T`);
            assert.ok(hit.id < 10_000, `future item ${hit.id} leaked`);
          }
        }
      }
    }
    // Without the filter the canary and the near-duplicates are the best matches: the filter, not
    // the geometry, keeps them out.
    const unfiltered = await store.search(NEWS, canary.vector, { k: 3 });
    assert.ok(ids(unfiltered).includes(99_999));
  },
);

contract("delete removes items; count follows; unknown ids are ignored", async ({ store }) => {
  await store.ensureCollection(NEWS, 3, "test-embedder:3");
  assert.equal(await store.count(NEWS), 0);
  await store.upsert(NEWS, [1, 2, 3, 4, 5].map((id) => item(id, [1, id, 0])));
  assert.equal(await store.count(NEWS), 5);
  await store.delete(NEWS, [2, 4, 777]);
  assert.equal(await store.count(NEWS), 3);
  const hits = await store.search(NEWS, Float32Array.from([1, 2, 0]), { k: 10 });
  assert.deepEqual(ids(hits).sort(), [1, 3, 5]);
  await store.delete(NEWS, []);
  await store.delete(NEWS, [1, 3, 5]);
  assert.equal(await store.count(NEWS), 0);
  assert.deepEqual(await store.search(NEWS, Float32Array.from([1, 2, 0]), { k: 10 }), []);
});

contract(
  "upserting an existing id replaces its vector, symbols and publishedAt",
  async ({ store }) => {
    await store.ensureCollection(NEWS, 2, "test-embedder:2");
    await store.upsert(NEWS, [item(1, [1, 0], ["AAPL"], T - DAY), item(2, [0, 1], ["MSFT"])]);
    await store.upsert(NEWS, [item(1, [0, 1], ["TSLA"], T - 2 * DAY)]);
    assert.equal(await store.count(NEWS), 2);
    const hits = await store.search(NEWS, Float32Array.from([0, 1]), { k: 2 });
    assert.deepEqual(ids(hits), [1, 2]);
    assert.equal(hits[0].publishedAt, T - 2 * DAY);
    assert.ok(hits[0].score > 0.9999);
    assert.deepEqual(
      await store.search(NEWS, Float32Array.from([0, 1]), { k: 2, symbols: ["AAPL"] }),
      [],
    );
    assert.deepEqual(
      ids(await store.search(NEWS, Float32Array.from([0, 1]), { k: 2, symbols: ["TSLA"] })),
      [1],
    );
    // Within one batch the last occurrence of an id wins.
    await store.upsert(NEWS, [item(3, [1, 0], ["X"]), item(3, [-1, 0], ["Y"])]);
    const three = await store.search(NEWS, Float32Array.from([-1, 0]), { k: 1 });
    assert.deepEqual(ids(three), [3]);
    assert.equal(await store.count(NEWS), 3);
  },
);

contract(
  "wrong dimensions and invalid vectors are refused, and nothing is written",
  async ({ store }) => {
    await store.ensureCollection(NEWS, 4, "test-embedder:4");
    await store.upsert(NEWS, [item(1, [1, 0, 0, 0])]);
    await assert.rejects(
      store.upsert(NEWS, [item(2, [1, 0, 0, 0]), item(3, [1, 0, 0])]),
      (error) =>
        error instanceof VectorStoreError &&
        /id 3 has 3 dimensions, expected 4/.test(error.message),
    );
    assert.equal(await store.count(NEWS), 1, "the valid item of the refused batch was not written");
    await assert.rejects(
      store.search(NEWS, Float32Array.from([1, 0, 0, 0, 0]), { k: 1 }),
      /query vector has 5 dimensions, expected 4/,
    );
    await assert.rejects(store.upsert(NEWS, [item(4, [0, 0, 0, 0])]), /zero vector/);
    await assert.rejects(store.upsert(NEWS, [item(4, [NaN, 0, 0, 1])]), /non-finite/);
    await assert.rejects(store.upsert(NEWS, [item(4.5, [1, 0, 0, 0])]), /not a safe integer/);
    await assert.rejects(
      store.upsert(NEWS, [{ ...item(4, [1, 0, 0, 0]), publishedAt: Number.NaN }]),
      /publishedAt/,
    );
    await assert.rejects(store.search(NEWS, Float32Array.from([1, 0, 0, 0]), { k: 0 }), /k must/);
    await assert.rejects(
      store.search(NEWS, Float32Array.from([1, 0, 0, 0]), { k: 1, publishedBefore: 1.5 }),
      /publishedBefore/,
    );
    assert.equal(await store.count(NEWS), 1);
  },
);

contract(
  "an embedder change opens a separate collection; a new dimension under one embedder is refused",
  async ({ store }) => {
    await assert.rejects(store.count(NEWS), /call ensureCollection/);
    await store.ensureCollection(NEWS, 3, "embedder-a:3");
    await store.upsert(NEWS, [item(1, [1, 0, 0]), item(2, [0, 1, 0])]);
    // Another embedder (and dimension): its own, empty collection.
    await store.ensureCollection(NEWS, 5, "embedder-b:5");
    assert.equal(await store.count(NEWS), 0);
    await assert.rejects(store.upsert(NEWS, [item(9, [1, 0, 0])]), /expected 5/);
    await store.upsert(NEWS, [item(9, [1, 0, 0, 0, 0])]);
    // Ids are shared across embedders, vectors are not.
    await store.ensureCollection(NEWS, 3, "embedder-a:3");
    assert.equal(await store.count(NEWS), 2);
    assert.deepEqual(ids(await store.search(NEWS, Float32Array.from([1, 0, 0]), { k: 5 })), [1, 2]);
    // The same embedder id with another dimension is refused, with a reason.
    await assert.rejects(
      store.ensureCollection(NEWS, 4, "embedder-a:3"),
      /names 3 dimensions, but dimension 4/,
    );
    await store.ensureCollection(NEWS, 3, "embedder-without-suffix");
    await store.upsert(NEWS, [item(1, [1, 0, 0])]);
    await assert.rejects(
      store.ensureCollection(NEWS, 8, "embedder-without-suffix"),
      (error) =>
        error instanceof VectorStoreError &&
        /holds 3-dimensional vectors, not 8/.test(error.message),
    );
    // Collections of the two names are independent.
    await store.ensureCollection(PREDICTIONS, 3, "embedder-a:3");
    assert.equal(await store.count(PREDICTIONS), 0);
    await store.upsert(PREDICTIONS, [item(1, [0, 0, 1])]);
    assert.equal(await store.count(NEWS), 1);
  },
);

contract("the same embedder's dimension is checked against what is stored", async (subject) => {
  await subject.store.ensureCollection(NEWS, 3, "stored-embedder");
  await subject.store.upsert(NEWS, [item(1, [1, 0, 0])]);
  const store = await subject.reopen(); // a fresh process: no binding in memory
  await assert.rejects(store.ensureCollection(NEWS, 6, "stored-embedder"), /holds 3-dimensional/);
  await store.ensureCollection(NEWS, 3, "stored-embedder");
  assert.equal(await store.count(NEWS), 1);
});

contract("ids lists every id in ascending batches", async ({ store }) => {
  await store.ensureCollection(PREDICTIONS, 2, "test-embedder:2");
  const all = [5, 3, 1, 22, 9, 2 ** 53 - 1, 17, 4, 8, 13, 2, 11, 6, 7, 10, 12, 14, 15, 16, 18];
  await store.upsert(PREDICTIONS, all.map((id) => item(id, [1, id % 7])));
  const batches: number[][] = [];
  for await (const batch of store.ids(PREDICTIONS, 7)) batches.push(batch);
  assert.deepEqual(batches.map((batch) => batch.length), [7, 7, 6]);
  assert.deepEqual(batches.flat(), [...all].sort((a, b) => a - b));
  const hits = await store.search(PREDICTIONS, Float32Array.from([1, 0]), { k: 20 });
  assert.ok(ids(hits).includes(2 ** 53 - 1), "the largest safe id round-trips");
});

contract("data survives closing and reopening the store", async (subject) => {
  await subject.store.ensureCollection(NEWS, 3, "test-embedder:3");
  await subject.store.upsert(NEWS, [
    item(1, [1, 0, 0], ["AAPL"], T - DAY),
    item(2, [0, 1, 0], ["MSFT"], T - 2 * DAY),
    item(3, [0, 0, 1], ["TSLA"], T - 3 * DAY),
  ]);
  await subject.store.delete(NEWS, [3]);
  await subject.store.upsert(NEWS, [item(2, [0.5, 0.5, 0], ["NVDA"], T - 4 * DAY)]);
  const store = await subject.reopen();
  await store.ensureCollection(NEWS, 3, "test-embedder:3");
  assert.equal(await store.count(NEWS), 2);
  const hits = await store.search(NEWS, Float32Array.from([1, 0, 0]), { k: 10 });
  assert.deepEqual(ids(hits), [1, 2]);
  assert.deepEqual(hits.map((hit) => hit.publishedAt), [T - DAY, T - 4 * DAY]);
  assert.deepEqual(
    ids(await store.search(NEWS, Float32Array.from([1, 0, 0]), { k: 10, symbols: ["NVDA"] })),
    [2],
  );
});

contract(
  "top-10 recall against exact search (1.0 when exact, ≥ 0.9 approximate)",
  async (subject) => {
    const { store } = subject;
    const dimension = 32;
    const next = random(42);
    const centres = Array.from({ length: 20 }, () => randomVector(next, dimension));
    const items: VectorItem[] = [];
    for (let id = 1; id <= 2_000; id++) {
      const vector = nearby(next, centres[id % centres.length], 0.6);
      items.push(item(id, vector, [`S${id % 5}`], T - (id % 100) * DAY + 1));
    }
    await store.ensureCollection(NEWS, dimension, "test-embedder:32");
    await store.upsert(NEWS, items);
    let found = 0, wanted = 0;
    for (let q = 0; q < 20; q++) {
      const query = nearby(next, centres[q % centres.length], 0.6);
      const filter = q % 2 ? { publishedBefore: T - 50 * DAY } : { symbols: ["S1", "S3"] };
      const hits = await store.search(NEWS, query, { k: 10, ...filter });
      const exact = exactSearch(items, query, 10, filter);
      if (subject.exact) {
        assert.deepEqual(ids(hits), ids(exact));
        hits.forEach((hit, i) => assert.ok(Math.abs(hit.score - exact[i].score) < 1e-5));
      }
      const truth = new Set(ids(exact));
      found += hits.filter((hit) => truth.has(hit.id)).length;
      wanted += exact.length;
    }
    const recall = found / wanted;
    assert.ok(subject.exact ? recall === 1 : recall >= 0.9, `recall@10 ${recall}`);
  },
);
