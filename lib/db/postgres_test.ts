import assert from "node:assert/strict";
import { createServer } from "node:net";
import { createLogger } from "../log.ts";
import { DatabaseStartError } from "./errors.ts";
import { describeUrl, openPostgres } from "./postgres.ts";

const quiet = createLogger("error", () => {});
const DATABASE_URL = Deno.env.get("DATABASE_URL")?.trim();
if (!DATABASE_URL) console.log("postgres_test: server tests skipped: DATABASE_URL not set");

/** A loopback port nothing listens on: bound, noted and closed again. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

Deno.test("describeUrl shows host, port and database but never credentials", () => {
  assert.equal(
    describeUrl("postgres://bob:s3cret@db.example.com:6543/app"),
    "db.example.com:6543/app",
  );
  assert.equal(describeUrl("postgresql://bob:p%40ss@db/app?sslmode=require"), "db:5432/app");
  assert.equal(describeUrl("postgres://u:a@b/c@127.0.0.1/app"), "127.0.0.1:5432/app");
  assert.equal(describeUrl("postgres://h1:5432,h2:5433/app"), "h1:5432,h2:5433/app");
  assert.equal(describeUrl("postgres://localhost"), "localhost:5432");
});

Deno.test("an unreachable Postgres fails fast with one clear line and no password", async () => {
  const port = closedPort();
  const started = performance.now();
  await assert.rejects(
    openPostgres(`postgres://craveny:hunter2@127.0.0.1:${port}/app`, quiet),
    (error) => {
      assert.ok(error instanceof DatabaseStartError);
      assert.equal(
        error.message,
        `postgres at 127.0.0.1:${port}/app could not be reached: connection refused ` +
          "(is the server running and listening on that port?)",
      );
      assert.doesNotMatch(error.message, /hunter2|craveny:/);
      return true;
    },
  );
  assert.ok(performance.now() - started < 3_000);
});

Deno.test("a server that never answers times out with a clear line", async () => {
  // Accepts TCP connections and then stays silent, like a blackholed proxy.
  const sockets: import("node:net").Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  try {
    await assert.rejects(
      openPostgres(`postgres://x:secret@127.0.0.1:${port}/app`, quiet, {
        connectTimeoutSeconds: 1,
      }),
      (error) => {
        assert.ok(error instanceof DatabaseStartError);
        assert.equal(
          error.message,
          `postgres at 127.0.0.1:${port}/app could not be reached: no answer within 1s`,
        );
        return true;
      },
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

Deno.test({
  name: "a missing database is named in the error (postgres)",
  ignore: !DATABASE_URL,
  async fn() {
    const url = new URL(DATABASE_URL ?? "");
    url.pathname = "/craveny_no_such_database";
    await assert.rejects(openPostgres(url.href, quiet), (error) => {
      assert.ok(error instanceof DatabaseStartError);
      assert.match(
        error.message,
        /refused the connection: database "craveny_no_such_database" does not exist$/,
      );
      return true;
    });
  },
});

Deno.test({
  name: "openPostgres answers ping and closes (postgres)",
  ignore: !DATABASE_URL,
  async fn() {
    const db = await openPostgres(DATABASE_URL ?? "", quiet);
    assert.equal(db.kind, "postgres");
    await db.ping();
    await db.close();
    await assert.rejects(db.ping());
  },
});

Deno.test("an unparsable URL is refused without echoing it", async () => {
  await assert.rejects(openPostgres("postgres://u:hunter2@[bad/app", quiet), (error) => {
    assert.ok(error instanceof DatabaseStartError);
    assert.match(error.message, /DATABASE_URL could not be parsed$/);
    assert.doesNotMatch(error.message, /hunter2/);
    return true;
  });
});
