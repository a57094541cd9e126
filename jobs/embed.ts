// The embed job (DESIGN §7): news without a vector of the current embedder gets one, in batches;
// lib/embed/embed_news.ts explains why a kill at any point loses nothing and duplicates nothing.
import { embedPendingNews } from "../lib/embed/embed_news.ts";
import type { Job } from "../lib/jobs/job.ts";

const REBUILD = "--rebuild";

export function createEmbedJob(): Job {
  return {
    name: "embed",
    description: "Embed news that has no vector for the current embedder",
    flags: [`${REBUILD}  embed every news item again (vectors are replaced by id)`],
    async run({ app, log, signal, args, fencedSql }) {
      const unknown = args.filter((arg) => arg !== REBUILD);
      if (unknown.length) throw new Error(`embed: unknown flag ${unknown[0]} (known: ${REBUILD})`);
      const result = await embedPendingNews(
        // A batch writes idempotent single statements (vectors replaced by id, then marked), which
        // no transaction fence covers: a lost lock stops the run at the next batch via `signal`.
        { sql: fencedSql, vectors: app.vectors, embedder: app.embedder, log, signal },
        { rebuild: args.includes(REBUILD) },
      );
      return { ...result };
    },
  };
}
