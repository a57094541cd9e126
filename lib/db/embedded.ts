// Embedded default: PGlite (Postgres in WASM) persisted under <dataDir>/pglite, served over a
// loopback socket so the application keeps the one postgres.js query path.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { resolve } from "node:path";
import postgres from "postgres";
import type { Logger } from "../log.ts";
import { clientOptions } from "./client.ts";
import { DatabaseStartError, reasonOf } from "./errors.ts";
import { acquireLockFile, type LockFile, LockHeldError } from "./lock_file.ts";
import type { Database } from "./port.ts";

/** Where the cluster lives inside the data directory, as shown to the operator. */
export function embeddedPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "") || "."}/pglite`;
}

/** Why an existing directory can't be a PGlite cluster, or undefined when it may be opened. */
async function inspectDataDir(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isDirectory) return "it is not a directory";
    const names: string[] = [];
    for await (const entry of Deno.readDir(path)) names.push(entry.name);
    // An empty or missing directory is initialised; anything else must look like a cluster,
    // otherwise PGlite would run initdb into someone else's files.
    if (names.length === 0) return undefined;
    if (!names.includes("PG_VERSION")) return "it is not empty and has no PG_VERSION file";
    const version = (await Deno.readTextFile(`${path}/PG_VERSION`)).trim();
    if (!/^\d+$/.test(version)) return "its PG_VERSION file does not hold a version number";
    return undefined;
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? undefined : reasonOf(error);
  }
}

/** PGlite reports start-up failures on stderr and throws a generic error: keep the telling part. */
function diagnose(stderr: string[], error: unknown): string {
  // "2026-01-02 03:04:05.678 UTC [42] FATAL:  message" → "message"
  const text = (line: string) =>
    line.replace(/^.*?\b(FATAL|PANIC|ERROR|DETAIL|HINT):\s*/, "").replace(/\s+/g, " ").trim();
  const fatal = stderr.findIndex((line) => /\b(FATAL|PANIC):/.test(line));
  if (fatal !== -1) {
    const detail = stderr.slice(fatal + 1).find((line) => /\bDETAIL:/.test(line));
    return detail ? `${text(stderr[fatal])}: ${text(detail)}` : text(stderr[fatal]);
  }
  const complaint = stderr.findLast((line) => line.trim() && !/\b(LOG|DEBUG\d?):/.test(line));
  if (complaint) return text(complaint);
  // Emscripten's file-system errors are plain objects with an errno, not Errors.
  if (error && typeof error === "object" && "errno" in error && !(error instanceof Error)) {
    return `file system error (errno ${String(error.errno)})`;
  }
  return reasonOf(error);
}

/** The port the socket server bound: "host:port" once started on port 0. */
function boundPort(server: PGLiteSocketServer): number {
  const port = Number(server.getServerConn().split(":").pop());
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`socket server reports no port: ${server.getServerConn()}`);
  }
  return port;
}

interface Resources {
  lock?: LockFile;
  pglite?: PGlite;
  server?: PGLiteSocketServer;
  sql?: postgres.Sql;
}

/** Stops whatever was started, last first, each step even if an earlier one failed. */
async function release(resources: Resources): Promise<void> {
  const { lock, pglite, server, sql } = resources;
  const steps = [
    () => sql?.end({ timeout: 5 }),
    () => server?.stop(),
    () => pglite && !pglite.closed ? pglite.close() : undefined,
    () => lock?.release(),
  ];
  let failure: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

async function takeLock(dataDir: string, shown: string): Promise<LockFile> {
  const lockPath = `${dataDir.replace(/\/+$/, "") || "."}/pglite.lock`;
  try {
    await Deno.mkdir(dataDir, { recursive: true });
    return await acquireLockFile(lockPath);
  } catch (error) {
    if (error instanceof LockHeldError) {
      throw new DatabaseStartError(
        `embedded database at ${shown} is in use by process ${error.holder.pid} on ` +
          `${error.holder.hostname}; stop it first (or delete ${lockPath} if that process is gone)`,
      );
    }
    throw new DatabaseStartError(
      `embedded database at ${shown} could not be opened: ${reasonOf(error)}`,
      { cause: error },
    );
  }
}

async function startPGlite(path: string, shown: string, log: Logger): Promise<PGlite> {
  const problem = await inspectDataDir(path);
  const unusable = (reason: string) =>
    `embedded database at ${shown} could not be opened: ${reason} (move it aside to start fresh)`;
  if (problem) throw new DatabaseStartError(unusable(problem));
  const stderr: string[] = [];
  let started = false;
  try {
    const pglite = await PGlite.create({
      dataDir: path,
      onStderr: (line) => {
        // Kept for the start-up diagnosis; afterwards only a crash is worth a log line
        // (statement errors appear here too, and their clients already receive them).
        if (!started) stderr.push(line);
        else if (/\b(FATAL|PANIC):/.test(line)) log.error("embedded database", { line });
        return false;
      },
    });
    started = true;
    return pglite;
  } catch (error) {
    throw new DatabaseStartError(unusable(diagnose(stderr, error)), { cause: error });
  }
}

/**
 * Opens (creating on first use) the PGlite cluster under `<dataDir>/pglite`. Throws
 * `DatabaseStartError` when the directory is unusable or another live process has it open.
 */
export async function openEmbedded(dataDir: string, log: Logger): Promise<Database> {
  const shown = embeddedPath(dataDir);
  const path = resolve(dataDir, "pglite");
  const started = performance.now();
  const resources: Resources = {};
  try {
    const lock = resources.lock = await takeLock(dataDir, shown);
    if (lock.staleHolder) {
      log.warn("embedded database was not closed cleanly; taking over its stale lock", {
        at: shown,
        pid: lock.staleHolder.pid,
        since: lock.staleHolder.acquiredAt,
      });
    }
    const fresh = await Deno.stat(`${path}/PG_VERSION`).then(() => false, () => true);
    if (fresh) log.info("creating the embedded database (first start takes a few seconds)");
    const pglite = resources.pglite = await startPGlite(path, shown, log);
    // Several sockets may attach (a reconnect can race the old socket's close), but they share
    // PGlite's single backend: the client pool below keeps to one connection.
    const server = resources.server = new PGLiteSocketServer({
      db: pglite,
      host: "127.0.0.1",
      port: 0,
      maxConnections: 4,
    });
    await server.start();
    const sql = resources.sql = postgres(clientOptions({
      host: "127.0.0.1",
      port: boundPort(server),
      user: "postgres",
      database: "postgres",
      max: 1, // one backend: a second connection would only queue behind the first
      idle_timeout: 0, // loopback connections cost nothing to keep
      max_lifetime: null,
      connect_timeout: 10,
    }));
    await sql`select 1`;
    log.info("database opened", {
      kind: "embedded",
      at: shown,
      fresh,
      ms: Math.round(performance.now() - started),
    });
    let closing: Promise<void> | undefined;
    return {
      kind: "embedded",
      sql,
      async ping() {
        await sql`select 1`;
      },
      close() {
        closing ??= release(resources);
        return closing;
      },
    };
  } catch (error) {
    await release(resources).catch((cleanupError) =>
      log.warn("embedded database cleanup failed", { error: cleanupError })
    );
    if (error instanceof DatabaseStartError) throw error;
    throw new DatabaseStartError(
      `embedded database at ${shown} could not be started: ${reasonOf(error)}`,
      { cause: error },
    );
  }
}
