// Embed-job throughput (news/s) with the offline embedder: the whole job's work (SQL batches,
// embedding, vector upserts, marks) over the shared FNSPID headline sample (2,046 headlines),
// against embedding the same texts alone (the baseline) in the same run. News/s = 2,046 × iter/s.
// The database is DATABASE_URL's server when set (a fresh database), else embedded PGlite; the
// vector store is the embedded one in a temporary directory.
//   deno bench -A bench/embed_job_bench.ts
import { embedPendingNews, newsText } from "../lib/embed/embed_news.ts";
import { OfflineEmbedder } from "../lib/embed/offline.ts";
import { pendingNewsBatch } from "../lib/embed/store.ts";
import { importNews } from "../lib/imports/news_import.ts";
import { createLogger } from "../lib/log.ts";
import { seedDefaultUniverse } from "../lib/stocks/universe.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { openEmbeddedTestVectorStore } from "../tests/support/vectors.ts";

const HEADLINES = new URL(
  "../../shared/data/fnspid_headlines_sample/headlines.csv",
  import.meta.url,
);
const available = await Deno.stat(HEADLINES).then(() => true, () => false);
if (!available) console.warn(`SKIPPED bench/embed_job_bench.ts: ${HEADLINES.pathname} is missing`);

const quiet = createLogger("error", () => {});
const embedder = new OfflineEmbedder();
const db = available ? await openTestDatabase() : null;
const vectors = available ? await openEmbeddedTestVectorStore() : null;
let texts: string[] = [];
if (db) {
  await seedDefaultUniverse(db.sql);
  const { rows } = await importNews(db.sql, (await Deno.open(HEADLINES)).readable, {
    fileName: "headlines.csv",
  });
  texts = (await pendingNewsBatch(db.sql, embedder.id, { afterId: 0, limit: 100_000 }))
    .map(newsText);
  console.log(`embed job bench: ${rows} headlines imported, ${texts.length} embeddable`);
}

Deno.bench({
  name: "offline embedder alone, same texts (baseline)",
  group: "embed-job",
  baseline: true,
  ignore: !available,
  async fn() {
    for (let i = 0; i < texts.length; i += 128) await embedder.embed(texts.slice(i, i + 128));
  },
});

Deno.bench({
  name: "embed job: read batches, embed, upsert vectors, mark rows",
  group: "embed-job",
  ignore: !available,
  async fn() {
    const result = await embedPendingNews(
      { sql: db!.sql, vectors: vectors!.store, embedder, log: quiet },
      { rebuild: true },
    );
    if (result.embedded !== texts.length) throw new Error(`embedded ${result.embedded}`);
  },
});

globalThis.addEventListener("unload", () => {
  // Best effort: deno bench gives no async teardown hook.
  vectors?.dispose();
  db?.dispose();
});
