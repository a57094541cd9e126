// The embed job through the real runner, on the configured vector store (Milvus Lite in CI):
// idempotent runs, --rebuild, a vector store that fails mid-job, and the planted canary, which
// the job indexes but no search over its index ever returns.
import assert from "node:assert/strict";
import { NEWS_COLLECTION } from "../lib/embed/embed_news.ts";
import { runJob } from "../lib/jobs/runner.ts";
import { recentRuns } from "../lib/jobs/store.ts";
import { createLogger } from "../lib/log.ts";
import { findSimilarNews } from "../lib/similar/similar_news.ts";
import { type VectorStore, VectorStoreUnavailable } from "../lib/vectors/port.ts";
import { AS_OF, plantPointInTimeNews, QUERY } from "../tests/support/canary.ts";
import { openTestContext } from "../tests/support/context.ts";
import { openTestDatabase } from "../tests/support/database.ts";
import { openTestVectorStore } from "../tests/support/vectors.ts";
import { createEmbedJob } from "./embed.ts";

const job = createEmbedJob();

/** The store, except that `upsert` fails while `outage.down` is true (as a Milvus going away). */
function withOutage(store: VectorStore, outage: { down: boolean }): VectorStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === "upsert" && outage.down) {
        return () => Promise.reject(new VectorStoreUnavailable("vector store went away"));
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

Deno.test("embed job: idempotent, rebuildable, survives an outage, never leaks the canary", async (t) => {
  await using db = await openTestDatabase();
  await using vectorStore = await openTestVectorStore();
  const outage = { down: false };
  await using app = await openTestContext({
    db,
    vectors: withOutage(vectorStore.store, outage),
    log: createLogger("error", () => {}),
  });
  const planted = await plantPointInTimeNews(db.sql);
  const indexed = 6; // every planted item but the undated one

  await t.step("a vector store outage fails the run, recorded, with nothing marked", async () => {
    outage.down = true;
    const outcome = await runJob(job, app);
    outage.down = false;
    assert.equal(outcome.status, "failed");
    const [run] = await recentRuns(db.sql, "embed", 1);
    assert.equal(run.status, "failed");
    assert.match(run.error ?? "", /vector store went away/);
    const [{ marked }] = await db.sql<{ marked: number }[]>`
      select count(*)::int as marked from news where embedded_with is not null`;
    assert.equal(marked, 0);
  });

  await t.step("the next run embeds everything datable, once", async () => {
    const outcome = await runJob(job, app);
    assert.equal(outcome.status, "succeeded");
    assert.deepEqual(
      outcome.status === "succeeded" && outcome.counts,
      { embedded: indexed, skipped: 0, batches: 1 },
    );
    assert.equal(await app.vectors.count(NEWS_COLLECTION), indexed);
  });

  await t.step("a second run embeds nothing", async () => {
    const outcome = await runJob(job, app);
    assert.deepEqual(outcome.status === "succeeded" && outcome.counts, {
      embedded: 0,
      skipped: 0,
      batches: 0,
    });
  });

  await t.step("--rebuild embeds everything again, replacing vectors by id", async () => {
    const outcome = await runJob(job, app, undefined, ["--rebuild"]);
    assert.equal(outcome.status === "succeeded" && outcome.counts.embedded, indexed);
    assert.equal(await app.vectors.count(NEWS_COLLECTION), indexed, "no duplicates");
  });

  await t.step("an unknown flag fails the run naming the flag", async () => {
    const outcome = await runJob(job, app, undefined, ["--rebiuld"]);
    assert.equal(outcome.status, "failed");
    assert.match(outcome.status === "failed" ? outcome.error : "", /unknown flag --rebiuld/);
  });

  await t.step("the canary is in the index the job built, and no search returns it", async () => {
    const [vector] = (await app.embedder.embed([`CANARY ${QUERY}`])).vectors;
    const [top] = await app.vectors.search(NEWS_COLLECTION, vector, { k: 1 });
    assert.equal(top.id, planted.canary, "not vacuous: the canary is indexed");
    const ports = { sql: db.sql, vectors: app.vectors, embedder: app.embedder };
    const never = [planted.canary, planted.undated];
    for (const asOf of [AS_OF, new Date(), new Date("2099-06-01T00:00:00Z")]) {
      for (const query of [{ text: `CANARY ${QUERY}` }, { newsId: planted.canary }]) {
        const results = await findSimilarNews(ports, { ...query, asOf, k: 50 });
        assert.ok(results.length > 0);
        assert.deepEqual(results.filter((result) => never.includes(result.id)), []);
        if (asOf === AS_OF) {
          assert.ok(results.every((result) => planted.earlier.includes(result.id)));
        }
      }
    }
  });
});
