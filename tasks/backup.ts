// `deno task backup`: writes a backup of the configured database to BACKUP_DIR (lib/backup).
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { createBackup } from "../lib/backup/create.ts";
import { backupReport } from "../lib/backup/report.ts";
import { openDatabase } from "../lib/db/open.ts";
import { createLogger } from "../lib/log.ts";
import { INTERRUPTED_EXIT, runTask, stopOnInterrupt, UsageError } from "./cli.ts";

const usage = `usage: deno task backup

Backs up the database (DATABASE_URL, or the embedded one under DATA_DIR) into BACKUP_DIR
(default ./backups) as craveny-<UTC timestamp>.backup, then deletes the oldest backups beyond
BACKUP_KEEP (default 7; only files named like that are touched). Prints the file, its size and
how long it took; large tables show progress on stderr.

The file is gzip: a header (format version, the schema migrations, each table's row count and
sha-256), then every table's rows, all read from one consistent snapshot. Postgres can be backed
up while Craveny runs; the embedded database only while it is stopped (one process may open it).
Ctrl-C stops the backup and leaves no file behind.

Restore into an empty database with: deno task restore FILE`;

async function main(args: string[]): Promise<number> {
  if (args.length) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}`);
  const config = loadConfig(await readEnvironment());
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn");
  const db = await openDatabase(config, log);
  using interrupt = stopOnInterrupt();
  try {
    const result = await createBackup(db, {
      dir: config.backup.dir,
      keep: config.backup.keep,
      signal: interrupt.signal,
      progress: (line) => console.error(line),
    });
    console.log(backupReport(result));
    return 0;
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    console.error("craveny: backup interrupted: no backup was written");
    return INTERRUPTED_EXIT;
  } finally {
    await db.close();
  }
}

if (import.meta.main) runTask(usage, main);
