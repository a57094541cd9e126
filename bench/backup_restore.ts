// Backup and restore of a database with the simulator's data and ~100k predictions: time and
// size of `deno task backup`'s code path, and of the restore (the file check, then the load with
// its own read-back check), next to pg_dump -Fc / pg_restore of the same Postgres database in the
// same run — read the ratios, not the absolute numbers. The embedded database (PGlite) is
// measured too; pg_dump can't read it, so its ratios are to the Postgres figures.
// A script rather than a `deno bench` file: seeding takes a minute, and Deno would run it 3 times.
//   deno run -A bench/backup_restore.ts [--embedded | --postgres] [--predictions 100000]
// Postgres is DATABASE_URL's server (fresh databases, dropped afterwards); pg_dump and pg_restore
// come from PG_BIN (default /usr/lib/postgresql/15/bin).
import { parseArgs } from "node:util";
import { createBackup } from "../lib/backup/create.ts";
import { formatSize } from "../lib/backup/report.ts";
import { planRestore, restoreBackup } from "../lib/backup/restore.ts";
import { fingerprint, seedLikeTheApp, taskEnv } from "../lib/backup/test_support.ts";
import { formatCount } from "../lib/imports/progress.ts";
import { createLogger } from "../lib/log.ts";
import { openTestDatabase, type TestDatabase } from "../tests/support/database.ts";

const quiet = createLogger("error", () => {});
const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    embedded: { type: "boolean" },
    postgres: { type: "boolean" },
    predictions: { type: "string" },
  },
});
const TARGET_PREDICTIONS = Number(flags.predictions ?? 100_000);
const PG_BIN = Deno.env.get("PG_BIN") ?? "/usr/lib/postgresql/15/bin";

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/**
 * The app's own data (simulator crawl, embed, a replay of the built-in models, evaluation,
 * accounts), then the replayed predictions copied at earlier as-of times until there are
 * `TARGET_PREDICTIONS`: rows as wide as real ones (reasoning, run record, news ids).
 */
async function seed(db: TestDatabase, dataDir: string): Promise<void> {
  await seedLikeTheApp(db, { dataDir, stocks: 8, replayDays: 60 });
  const [{ count }] = await db.sql<{ count: number }[]>`select count(*) as count from prediction`;
  const copies = Math.ceil(TARGET_PREDICTIONS / count) - 1;
  for (let copy = 1; copy <= copies; copy++) {
    await db.sql`
      insert into prediction (model_id, stock_id, as_of, horizon, direction, confidence,
        reasoning, cited_news_ids, ab_test_id, variant, mode, contaminated, input_tokens,
        output_tokens, cost, latency_ms, embedded_with, created_at, prompt_id, shown_news_ids,
        inputs_hash, run_record)
      select model_id, stock_id, as_of - ${copy} * interval '4000 days', horizon, direction,
        confidence, reasoning, cited_news_ids, ab_test_id, variant, mode, contaminated,
        input_tokens, output_tokens, cost, latency_ms, embedded_with, created_at, prompt_id,
        shown_news_ids, inputs_hash, run_record
      from prediction where as_of > now() - interval '4000 days'`;
  }
}

async function command(name: string, args: string[]): Promise<void> {
  const output = await new Deno.Command(`${PG_BIN}/${name}`, {
    args,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!output.success) {
    throw new Error(`${name} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
}

interface Figures {
  kind: string;
  backupMs: number;
  bytes: number;
  checkMs: number;
  restoreMs: number;
  pgDump?: { ms: number; bytes: number; restoreMs: number };
}

async function measure(embedded: boolean): Promise<Figures> {
  const dir = await Deno.makeTempDir({ prefix: "craveny-bench-backup-" });
  try {
    await using source = await openTestDatabase({ embedded });
    const [, seedMs] = await timed(() => seed(source, dir));
    const before = await fingerprint(source.sql);
    const rows = Object.entries(before.rows)
      .filter(([name]) => name !== "schema_migration")
      .reduce((sum, [, count]) => sum + count, 0);
    console.log(
      `${source.kind}: ${formatCount(before.rows.prediction)} predictions, ` +
        `${formatCount(rows)} rows in all (seeded in ${seconds(seedMs)})`,
    );
    const [backup, backupMs] = await timed(() => createBackup(source, { dir, keep: 1 }));
    const [plan, checkMs] = await timed(() => planRestore(backup.path));
    await using target = await openTestDatabase({ embedded, migrate: false });
    const [, restoreMs] = await timed(() => restoreBackup(target, plan, { log: quiet }));
    const after = await fingerprint(target.sql);
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error("restore differs");
    const figures: Figures = {
      kind: source.kind,
      backupMs,
      bytes: backup.bytes,
      checkMs,
      restoreMs,
    };
    if (source.kind === "postgres") {
      const file = `${dir}/pg_dump.custom`;
      const [, ms] = await timed(() =>
        command("pg_dump", ["-Fc", "-f", file, "-d", taskEnv(source).DATABASE_URL])
      );
      await using copy = await openTestDatabase({ migrate: false });
      const [, pgRestoreMs] = await timed(() =>
        command("pg_restore", ["--no-owner", "-d", taskEnv(copy).DATABASE_URL, file])
      );
      figures.pgDump = { ms, bytes: (await Deno.stat(file)).size, restoreMs: pgRestoreMs };
    }
    return figures;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function report(figures: Figures, baseline?: Figures["pgDump"]): void {
  const { backupMs, bytes, checkMs, restoreMs } = figures;
  console.log(`  backup   ${seconds(backupMs)}  ${formatSize(bytes)}`);
  console.log(`  restore  ${seconds(checkMs + restoreMs)} (file check ${seconds(checkMs)})`);
  if (!baseline) return;
  console.log(
    `  pg_dump -Fc ${seconds(baseline.ms)}  ${formatSize(baseline.bytes)};  ` +
      `pg_restore ${seconds(baseline.restoreMs)}`,
  );
  console.log(
    `  ratios: backup time ${ratio(backupMs, baseline.ms)}, size ${
      ratio(bytes, baseline.bytes)
    }, ` +
      `restore time ${ratio(checkMs + restoreMs, baseline.restoreMs)}`,
  );
}

const hasPostgres = Boolean(Deno.env.get("DATABASE_URL"));
const runPostgres = hasPostgres && !flags.embedded;
const runEmbedded = !flags.postgres;
if (!hasPostgres) console.log("no DATABASE_URL: Postgres and pg_dump are not measured");
const postgres = runPostgres ? await measure(false) : undefined;
if (postgres) report(postgres, postgres.pgDump);
if (runEmbedded) {
  const embedded = await measure(true);
  if (postgres) console.log("  (ratios to pg_dump / pg_restore of the same data on Postgres)");
  report(embedded, postgres?.pgDump);
}
