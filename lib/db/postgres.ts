// Production adapter: a postgres.js pool on DATABASE_URL.
import postgres from "postgres";
import type { Logger } from "../log.ts";
import { clientOptions } from "./client.ts";
import { DatabaseStartError, reasonOf } from "./errors.ts";
import type { Database } from "./port.ts";

export interface PostgresOptions {
  /** Pool size (postgres.js opens connections lazily, up to this many). */
  max?: number;
  /** Seconds to wait for a TCP connection and the server's greeting. */
  connectTimeoutSeconds?: number;
  /** Seconds before an unused pooled connection is closed. */
  idleTimeoutSeconds?: number;
}

/** `host:port/database` of a connection URL, without user or password: safe for logs and errors. */
export function describeUrl(url: string): string {
  // Parsed by hand: multi-host URLs ("h1:5432,h2:5432") suit postgres.js but not `new URL`.
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split(/[?#]/)[0];
  const fromHost = withoutScheme.slice(withoutScheme.lastIndexOf("@") + 1);
  const slash = fromHost.indexOf("/");
  const hostList = slash === -1 ? fromHost : fromHost.slice(0, slash);
  const database = slash === -1 ? "" : fromHost.slice(slash + 1);
  const hosts = safeDecode(hostList || "localhost")
    .split(",")
    .map((host) => (/:\d+$/.test(host) || host.startsWith("/") ? host : `${host}:5432`));
  return `${hosts.join(",")}${database ? `/${safeDecode(database)}` : ""}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Turns a connection failure into words an operator can act on. */
function explain(error: unknown, connectTimeoutSeconds: number): string {
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (is the server running and listening on that port?)";
    case "CONNECT_TIMEOUT":
      return `no answer within ${connectTimeoutSeconds}s`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name not found";
    case "ECONNRESET":
      return "connection reset by the server";
  }
  return reasonOf(error);
}

/** Server errors (bad password, missing database) carry an SQLSTATE code. */
function isServerError(error: unknown): boolean {
  return error instanceof Error && "code" in error && /^[0-9A-Z]{5}$/.test(String(error.code));
}

/** Connects to DATABASE_URL and checks the server answers; throws `DatabaseStartError` otherwise. */
export async function openPostgres(
  url: string,
  log: Logger,
  options: PostgresOptions = {},
): Promise<Database> {
  const where = describeUrl(url);
  const connectTimeoutSeconds = options.connectTimeoutSeconds ?? 10;
  const started = performance.now();
  let sql: postgres.Sql;
  try {
    sql = postgres(
      url,
      clientOptions({
        max: options.max ?? 10,
        connect_timeout: connectTimeoutSeconds,
        idle_timeout: options.idleTimeoutSeconds ?? 60,
      }),
    );
  } catch {
    // The parser's own message may quote the URL, password and all.
    throw new DatabaseStartError(`postgres at ${where}: DATABASE_URL could not be parsed`);
  }
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    const reason = explain(error, connectTimeoutSeconds);
    throw new DatabaseStartError(
      isServerError(error)
        ? `postgres at ${where} refused the connection: ${reason}`
        : `postgres at ${where} could not be reached: ${reason}`,
      { cause: error },
    );
  }
  log.info("database opened", {
    kind: "postgres",
    at: where,
    ms: Math.round(performance.now() - started),
  });
  let closed = false;
  return {
    kind: "postgres",
    sql,
    async ping() {
      await sql`select 1`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}
