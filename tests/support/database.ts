// A throwaway database per test: a fresh database on DATABASE_URL's server when that is set,
// otherwise an embedded PGlite in a fresh temporary directory. Test support may read Deno.env.
import { tmpdir } from "node:os";
import postgres from "postgres";
import { openEmbedded } from "../../lib/db/embedded.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { sha256Hex } from "../../lib/crypto/sha256.ts";
import type { Database } from "../../lib/db/port.ts";
import { openPostgres } from "../../lib/db/postgres.ts";
import { createLogger, type Logger } from "../../lib/log.ts";

export interface TestDatabase extends Database, AsyncDisposable {
  /** The database's name on the server, or the embedded database's temporary data directory. */
  readonly location: string;
  /** Closes the connection and drops the database (or deletes the temporary directory). */
  dispose(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply migrations/ before handing the database out (default true). */
  migrate?: boolean;
  /** Embedded PGlite even when DATABASE_URL is set (benchmarks compare both). */
  embedded?: boolean;
}

const quiet: Logger = createLogger("error", () => {});

/** Opens a fresh, empty (by default migrated) database that `dispose()` removes again. */
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = options.embedded ? undefined : Deno.env.get("DATABASE_URL")?.trim();
  const { db, location, remove } = url ? await createOnServer(url) : await createEmbedded();
  try {
    if (options.migrate ?? true) await migrate(db, quiet);
  } catch (error) {
    await db.close().finally(remove);
    throw error;
  }
  let disposing: Promise<void> | undefined;
  const dispose = () => disposing ??= db.close().finally(remove);
  return {
    kind: db.kind,
    sql: db.sql,
    location,
    ping: () => db.ping(),
    close: () => db.close(),
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

interface Created {
  db: Database;
  location: string;
  remove(): Promise<void>;
}

async function createOnServer(url: string): Promise<Created> {
  const name = `craveny_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = () => postgres(url, { max: 1, onnotice: () => {} });
  const creator = admin();
  try {
    await creator`create database ${creator(name)}`;
  } finally {
    await creator.end();
  }
  const remove = async () => {
    const dropper = admin();
    try {
      await dropper`drop database if exists ${dropper(name)} with (force)`;
    } finally {
      await dropper.end();
    }
  };
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  try {
    return { db: await openPostgres(testUrl.href, quiet, { max: 4 }), location: name, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function createEmbedded(): Promise<Created> {
  const dataDir = await Deno.makeTempDir({ prefix: "craveny-test-db-" });
  const remove = () => Deno.remove(dataDir, { recursive: true }).catch(() => {});
  try {
    await seedEmbeddedDataDir(dataDir);
    return { db: await openEmbedded(dataDir, quiet), location: dataDir, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Puts an initialised, empty PGlite cluster at `<dataDir>/pglite`, as openEmbedded(dataDir) would
 * create on first use, but by copying a shared template instead of running initdb again.
 */
export async function seedEmbeddedDataDir(dataDir: string): Promise<void> {
  await copyDirectory(await embeddedTemplate(), `${dataDir}/pglite`);
}

let template: Promise<string> | undefined;

/**
 * An initialised, empty PGlite cluster shared by all test runs of this PGlite version: initdb
 * takes about 3 s, copying the result about 0.2 s.
 */
function embeddedTemplate(): Promise<string> {
  template ??= (async () => {
    const version = await sha256Hex(import.meta.resolve("@electric-sql/pglite"));
    const path = `${tmpdir()}/craveny-pglite-template-${version.slice(0, 12)}`;
    if (await exists(`${path}/PG_VERSION`)) return path;
    const build = await Deno.makeTempDir({ prefix: "craveny-pglite-build-" });
    try {
      await (await openEmbedded(build, quiet)).close();
      // Renamed into place only when complete; losing the race to another worker is fine.
      await Deno.rename(`${build}/pglite`, path).catch(async (error) => {
        if (!(await exists(`${path}/PG_VERSION`))) throw error;
      });
    } finally {
      await Deno.remove(build, { recursive: true }).catch(() => {});
    }
    return path;
  })();
  template.catch(() => template = undefined);
  return template;
}

function exists(path: string): Promise<boolean> {
  return Deno.stat(path).then(() => true, () => false);
}

async function copyDirectory(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  const copies: Promise<void>[] = [];
  for await (const entry of Deno.readDir(from)) {
    const [source, target] = [`${from}/${entry.name}`, `${to}/${entry.name}`];
    copies.push(entry.isDirectory ? copyDirectory(source, target) : Deno.copyFile(source, target));
  }
  await Promise.all(copies);
}
