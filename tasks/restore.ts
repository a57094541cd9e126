// `deno task restore FILE`: loads a backup into an empty database (lib/backup/restore.ts).
import { restoreReport } from "../lib/backup/report.ts";
import { planRestore, restoreBackup } from "../lib/backup/restore.ts";
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { openDatabase } from "../lib/db/open.ts";
import { createLogger } from "../lib/log.ts";
import { INTERRUPTED_EXIT, runTask, stopOnInterrupt, UsageError } from "./cli.ts";

const usage = `usage: deno task restore FILE

Restores a backup made by \`deno task backup\` into the database (DATABASE_URL, or the embedded
one under DATA_DIR), which must be empty: a new database (createdb, then point DATABASE_URL at
it) or a new DATA_DIR, restored before Craveny is started on it (start-up adds stocks and
models). A database that has rows is refused.

The whole file is checked against its header first. The schema is built by the migrations up to
the backup's version (a backup newer than this code is refused), every table is loaded in one
transaction and checked against the header's row counts and checksums before it commits, and
the remaining migrations then bring an older backup up to date. Ctrl-C before the load commits
leaves nothing restored.

Vectors are not in the backup: afterwards run \`deno task vectors reconcile\`, then
\`deno task job embed\` (or \`deno task job embed --rebuild\` to embed everything again).`;

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0].startsWith("-")) {
    throw new UsageError(
      args.length ? `unexpected argument ${JSON.stringify(args.at(-1))}` : "FILE is missing",
    );
  }
  const [path] = args;
  const config = loadConfig(await readEnvironment());
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn");
  using interrupt = stopOnInterrupt();
  const options = {
    log,
    signal: interrupt.signal,
    progress: (line: string) => console.error(line),
  };
  try {
    // The file first: a wrong path must not open (and, embedded, create) a database.
    const plan = await planRestore(path, options);
    const db = await openDatabase(config, log);
    try {
      console.log(restoreReport(path, await restoreBackup(db, plan, options)));
      return 0;
    } finally {
      await db.close();
    }
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    console.error("craveny: restore interrupted: nothing was restored");
    return INTERRUPTED_EXIT;
  }
}

if (import.meta.main) runTask(usage, main);
