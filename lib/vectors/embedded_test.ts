// The embedded store beyond the shared contract: the SIMD kernel against a float64 reference,
// growth and swap-removal against a model, the on-disk format surviving kills and torn writes.
import assert from "node:assert/strict";
import { join } from "node:path";
import { createLogger, type LogFields } from "../log.ts";
import { crc32, openEmbeddedVectorStore } from "./embedded.ts";
import { type VectorItem, VectorStoreStartError } from "./port.ts";

const quiet = createLogger("error", () => {});
const NEWS = "news_embeddings";

function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomItem(next: () => number, id: number, dimension: number): VectorItem {
  return {
    id,
    vector: Float32Array.from({ length: dimension }, () => next() * 2 - 1),
    symbols: [["AAPL", "MSFT", "TSLA"][id % 3]],
    publishedAt: 1_700_000_000_000 + id * 1_000,
  };
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

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "craveny-embedded-vectors-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("crc32 matches the zlib check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

Deno.test("kernel scores match a float64 reference for padded and unpadded dimensions", async () => {
  await withDir(async (dir) => {
    const store = await openEmbeddedVectorStore(dir, quiet);
    try {
      for (const dimension of [1, 3, 16, 17, 100, 384]) {
        const next = random(dimension);
        const items = Array.from({ length: 300 }, (_, i) => randomItem(next, i + 1, dimension));
        await store.ensureCollection(NEWS, dimension, `kernel-test:${dimension}`);
        await store.upsert(NEWS, items);
        const query = randomItem(next, 0, dimension).vector;
        const hits = await store.search(NEWS, query, { k: 300 });
        assert.equal(hits.length, 300);
        const byId = new Map(items.map((item) => [item.id, item]));
        for (const hit of hits) {
          const expected = cosine(byId.get(hit.id)?.vector ?? query, query);
          assert.ok(Math.abs(hit.score - expected) < 1e-5, `d=${dimension} id=${hit.id}`);
        }
        for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
      }
    } finally {
      await store.close();
    }
  });
});

Deno.test("growth, replacement and swap-removal agree with a model, also after reopening", async () => {
  await withDir(async (dir) => {
    const dimension = 24;
    const next = random(99);
    const model = new Map<number, VectorItem>();
    // A small journal limit makes several snapshots happen along the way.
    let store = await openEmbeddedVectorStore(dir, quiet, { journalLimitBytes: 200_000 });
    await store.ensureCollection(NEWS, dimension, "model-test:24");
    for (let round = 0; round < 12; round++) {
      const batch = Array.from(
        { length: 400 },
        () => randomItem(next, 1 + Math.floor(next() * 5_000), dimension),
      );
      await store.upsert(NEWS, batch);
      for (const item of batch) model.set(item.id, item);
      const doomed = [...model.keys()].filter(() => next() < 0.15);
      await store.delete(NEWS, doomed);
      for (const id of doomed) model.delete(id);
    }
    const check = async () => {
      assert.equal(await store.count(NEWS), model.size);
      const listed: number[] = [];
      for await (const batch of store.ids(NEWS, 500)) listed.push(...batch);
      assert.deepEqual(listed, [...model.keys()].sort((a, b) => a - b));
      for (let q = 0; q < 10; q++) {
        const query = randomItem(next, 0, dimension).vector;
        const before = 1_700_000_000_000 + Math.floor(next() * 5_000) * 1_000;
        const expected = [...model.values()]
          .filter((item) => item.publishedAt < before && item.symbols.includes("MSFT"))
          .map((item) => ({ id: item.id, score: cosine(item.vector, query) }))
          .sort((a, b) => b.score - a.score || a.id - b.id)
          .slice(0, 15);
        const hits = await store.search(NEWS, query, {
          k: 15,
          publishedBefore: before,
          symbols: ["MSFT"],
        });
        assert.deepEqual(hits.map((hit) => hit.id), expected.map((hit) => hit.id));
      }
    };
    await check();
    await store.close();
    store = await openEmbeddedVectorStore(dir, quiet);
    await store.ensureCollection(NEWS, dimension, "model-test:24");
    await check();
    await store.close();
  });
});

Deno.test("a torn journal tail is dropped with a warning; everything before it loads", async () => {
  await withDir(async (dir) => {
    const next = random(5);
    const live = await openEmbeddedVectorStore(join(dir, "live"), quiet);
    try {
      await live.ensureCollection(NEWS, 8, "torn-test:8");
      const first = Array.from({ length: 50 }, (_, i) => randomItem(next, i + 1, 8));
      await live.upsert(NEWS, first);
      await live.upsert(NEWS, [randomItem(next, 1_000, 8), randomItem(next, 1_001, 8)]);
      // What a kill in the middle of the last write leaves: a copy with the journal cut short.
      const from = join(dir, "live", "vectors");
      const to = join(dir, "copy", "vectors");
      await Deno.mkdir(to, { recursive: true });
      for await (const entry of Deno.readDir(from)) {
        if (entry.name !== ".lock") {
          await Deno.copyFile(join(from, entry.name), join(to, entry.name));
        }
      }
      const journal = [...Deno.readDirSync(to)].find((entry) => entry.name.endsWith(".log"));
      assert.ok(journal, "the upserts are in a journal");
      const path = join(to, journal.name);
      await Deno.truncate(path, (await Deno.stat(path)).size - 7);

      const warnings: LogFields[] = [];
      const log = createLogger("warn", (line) => warnings.push(JSON.parse(line)));
      const copy = await openEmbeddedVectorStore(join(dir, "copy"), log);
      await copy.ensureCollection(NEWS, 8, "torn-test:8");
      assert.equal(await copy.count(NEWS), 50);
      assert.match(String(warnings[0]?.message), /torn tail/);
      // The store goes on normally from there, and the next load is clean.
      await copy.upsert(NEWS, [randomItem(next, 2_000, 8)]);
      await copy.close();
      const again = await openEmbeddedVectorStore(join(dir, "copy"), log);
      await again.ensureCollection(NEWS, 8, "torn-test:8");
      assert.equal(await again.count(NEWS), 51);
      assert.equal(warnings.length, 1);
      await again.close();
    } finally {
      await live.close();
    }
  });
});

Deno.test("leftovers of an interrupted snapshot are ignored and removed", async () => {
  await withDir(async (dir) => {
    const next = random(11);
    const store = await openEmbeddedVectorStore(dir, quiet);
    await store.ensureCollection(NEWS, 4, "leftover-test:4");
    await store.upsert(NEWS, Array.from({ length: 10 }, (_, i) => randomItem(next, i + 1, 4)));
    await store.close();
    const vectors = join(dir, "vectors");
    const header = [...Deno.readDirSync(vectors)].find((entry) => entry.name.endsWith(".json"));
    assert.ok(header);
    const physical = header.name.replace(/\.json$/, "");
    const { generation } = JSON.parse(await Deno.readTextFile(join(vectors, header.name)));
    // A kill after writing the next snapshot but before the header switched to it.
    await Deno.writeFile(join(vectors, `${physical}.${generation + 1}.bin`), new Uint8Array(99));
    await Deno.writeTextFile(join(vectors, `${physical}.json.tmp`), "{ half a hea");
    const reopened = await openEmbeddedVectorStore(dir, quiet);
    await reopened.ensureCollection(NEWS, 4, "leftover-test:4");
    assert.equal(await reopened.count(NEWS), 10);
    const names = [...Deno.readDirSync(vectors)].map((entry) => entry.name).sort();
    assert.deepEqual(names, [".lock", `${physical}.${generation}.bin`, `${physical}.json`]);
    await reopened.close();
  });
});

Deno.test("a second store on the same data directory is refused while the first is open", async () => {
  await withDir(async (dir) => {
    const first = await openEmbeddedVectorStore(dir, quiet);
    try {
      await assert.rejects(
        openEmbeddedVectorStore(dir, quiet),
        (error) => error instanceof VectorStoreStartError && /held by process/.test(error.message),
      );
    } finally {
      await first.close();
    }
    await (await openEmbeddedVectorStore(dir, quiet)).close();
  });
});

Deno.test("after many deletes the snapshot holds only the live rows", async () => {
  await withDir(async (dir) => {
    const next = random(3);
    const store = await openEmbeddedVectorStore(dir, quiet);
    await store.ensureCollection(NEWS, 64, "shrink-test:64");
    const items = Array.from({ length: 20_000 }, (_, i) => randomItem(next, i + 1, 64));
    await store.upsert(NEWS, items);
    await store.delete(NEWS, items.slice(100).map((item) => item.id));
    await store.close();
    const reopened = await openEmbeddedVectorStore(dir, quiet);
    await reopened.ensureCollection(NEWS, 64, "shrink-test:64");
    assert.equal(await reopened.count(NEWS), 100);
    const bins = [...Deno.readDirSync(join(dir, "vectors"))].filter((e) => e.name.endsWith(".bin"));
    assert.equal(bins.length, 1);
    const { size } = await Deno.stat(join(dir, "vectors", bins[0].name));
    assert.equal(size, 100 * (8 + 8 + 4 + 4 + 64 * 4), "the snapshot holds only live rows");
    await reopened.close();
  });
});

// A child process upserts in a loop (snapshots every few batches) and prints each acknowledged
// batch; it is killed at a random moment. Every acknowledged item must load afterwards.
const CHILD = `
import { openEmbeddedVectorStore } from ${
  JSON.stringify(new URL("./embedded.ts", import.meta.url).href)
};
import { createLogger } from ${JSON.stringify(new URL("../log.ts", import.meta.url).href)};
const store = await openEmbeddedVectorStore(Deno.args[0], createLogger("error", () => {}), {
  journalLimitBytes: 40_000,
});
await store.ensureCollection("news_embeddings", 32, "kill-test:32");
for (let batch = Number(Deno.args[1]); ; batch++) {
  const items = Array.from({ length: 20 }, (_, i) => ({
    id: batch * 20 + i,
    vector: Float32Array.from({ length: 32 }, (_, d) => Math.sin(batch * 31 + i * 7 + d) + 0.01),
    symbols: ["K" + (i % 4)],
    publishedAt: batch,
  }));
  await store.upsert("news_embeddings", items);
  console.log(batch);
}
`;

Deno.test("killing the process at any moment never loses acknowledged writes", async () => {
  await withDir(async (dir) => {
    const script = join(dir, "child.ts");
    await Deno.writeTextFile(script, CHILD);
    let nextBatch = 0;
    for (let round = 0; round < 4; round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--no-check", script, join(dir, "data"), String(nextBatch)],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const acknowledged: number[] = [];
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      const wanted = 30 + round * 17;
      while (acknowledged.length < wanted) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
        const lines = text.split("\n");
        text = lines.pop() ?? "";
        acknowledged.push(...lines.filter(Boolean).map(Number));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 30)));
      child.kill("SIGKILL");
      await child.status;
      await reader.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
      assert.ok(acknowledged.length >= wanted, "the child made progress before the kill");

      const store = await openEmbeddedVectorStore(join(dir, "data"), quiet);
      try {
        await store.ensureCollection(NEWS, 32, "kill-test:32");
        const stored = new Set<number>();
        for await (const batch of store.ids(NEWS)) batch.forEach((id) => stored.add(id));
        for (const batch of acknowledged) {
          for (let i = 0; i < 20; i++) assert.ok(stored.has(batch * 20 + i), `batch ${batch}`);
        }
        const count = await store.count(NEWS);
        assert.equal(count % 20, 0, "batches are all or nothing");
        nextBatch = Math.max(...acknowledged) + 2;
      } finally {
        await store.close();
      }
    }
  });
});
