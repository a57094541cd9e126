// Rows per second of `deno task import` on the shared real datasets: the 2015–2024 price file
// (57,868 rows) and the first 15,000 StockNet tweets, into a fresh embedded database and, when
// DATABASE_URL is set, into a fresh database on that Postgres server. Deno calls a bench function
// three times whatever `n` says (the first is discarded), each run here into a new database; every
// run prints its rows/s. About 50 s with Postgres, 25 s without.
//   deno task bench                  (or: deno bench -A bench/import_bench.ts)
import type { Sql } from "postgres";
import { openEmbedded } from "../lib/db/embedded.ts";
import { migrate } from "../lib/db/migrate.ts";
import type { Database } from "../lib/db/port.ts";
import { importNews } from "../lib/imports/news_import.ts";
import { importPrices } from "../lib/imports/prices_import.ts";
import { formatCount, rowsPerSecond } from "../lib/imports/progress.ts";
import { createLogger } from "../lib/log.ts";
import { seedDefaultUniverse } from "../lib/stocks/universe.ts";
import { openTestDatabase, seedEmbeddedDataDir } from "../tests/support/database.ts";

const DATA = new URL("../../shared/data/", import.meta.url);
const FILES = {
  prices: "prices_daily_2015_2024/prices_daily.csv",
  news: "stocknet_tweets_2014_2016/tweets.csv",
} as const;
/** Data lines read per file: news imports are slower (hashing, matching), so fewer tweets. */
const LINES = { prices: Infinity, news: 15_000 } as const;

/** The stream up to the end of its `lines`-th line after the header. */
function firstLines(stream: ReadableStream<Uint8Array>, lines: number): ReadableStream<Uint8Array> {
  if (lines === Infinity) return stream;
  let seen = -1; // the header line is not counted
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (seen >= lines) return;
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] === 0x0a && ++seen === lines) {
            controller.enqueue(chunk.subarray(0, i + 1));
            return;
          }
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

const available = await Deno.stat(new URL(FILES.prices, DATA)).then(() => true, () => false);
if (!available) console.warn(`SKIPPED bench/import_bench.ts: ${DATA.pathname} is missing`);
const quiet = createLogger("error", () => {});

/** A fresh embedded database in a temporary directory, whatever DATABASE_URL says. */
async function openFreshEmbedded(): Promise<Database & { dispose(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "craveny-import-bench-" });
  await seedEmbeddedDataDir(dir);
  const db = await openEmbedded(dir, quiet);
  await migrate(db, quiet);
  return {
    ...db,
    sql: db.sql,
    kind: db.kind,
    ping: () => db.ping(),
    close: () => db.close(),
    dispose: () => db.close().finally(() => Deno.remove(dir, { recursive: true })),
  };
}

async function run(sql: Sql, kind: keyof typeof FILES): Promise<number> {
  const fileName = FILES[kind];
  // Tweets have no line breaks inside fields (see its README), so lines are rows.
  const stream = firstLines((await Deno.open(new URL(fileName, DATA))).readable, LINES[kind]);
  const result = kind === "prices"
    ? await importPrices(sql, stream, { fileName })
    : await importNews(sql, stream, { fileName });
  return result.rows;
}

const targets: { name: string; open: () => Promise<{ sql: Sql; dispose(): Promise<void> }> }[] = [
  { name: "embedded", open: openFreshEmbedded },
];
if (Deno.env.get("DATABASE_URL")) {
  targets.push({
    name: "postgres",
    open: () => openTestDatabase(),
  });
}

for (const target of targets) {
  for (const kind of ["prices", "news"] as const) {
    Deno.bench({
      name: `import ${kind} into ${target.name}`,
      group: `import ${kind}`,
      ignore: !available,
      // As few runs as Deno allows: each is a whole import.
      n: 1,
      warmup: 0,
      async fn(b) {
        const db = await target.open();
        try {
          await seedDefaultUniverse(db.sql);
          b.start();
          const started = performance.now();
          const rows = await run(db.sql, kind);
          const elapsed = performance.now() - started;
          b.end();
          // Deno prefixes the bench's name: "import news into embedded: 15,000 rows …".
          console.log(
            `${formatCount(rows)} rows in ${(elapsed / 1000).toFixed(1)} s = ` +
              `${formatCount(rowsPerSecond(rows, elapsed))} rows/s`,
          );
        } finally {
          await db.dispose();
        }
      },
    });
  }
}
