// `deno task migrate`: applies pending migrations to the configured database.
import { loadConfig, readEnvironment } from "../lib/config.ts";
import { migrate } from "../lib/db/migrate.ts";
import { openDatabase } from "../lib/db/open.ts";
import { createLogger } from "../lib/log.ts";
import { runTask, UsageError } from "./cli.ts";

const usage = `usage: deno task migrate

Applies the pending migrations in migrations/ to DATABASE_URL, or to the embedded database
under DATA_DIR (default ./data) when DATABASE_URL is unset. Prints one line per applied
migration, or "up to date".`;

async function main(args: string[]): Promise<number> {
  if (args.length) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}`);
  const config = loadConfig(await readEnvironment());
  // Only warnings and errors as log lines: the applied migrations are this command's output.
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn");
  const db = await openDatabase(config, log);
  try {
    const { applied } = await migrate(db, log);
    for (const file of applied) console.log(`applied ${file}`);
    if (!applied.length) console.log("up to date");
    return 0;
  } finally {
    await db.close();
  }
}

if (import.meta.main) runTask(usage, main);
