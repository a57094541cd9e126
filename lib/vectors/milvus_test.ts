// The Milvus adapter beyond the shared contract: filter expressions, start-up failures (always run,
// no server needed) and a Milvus that goes away mid-operation (through a TCP proxy in front of
// MILVUS_ADDRESS, so the test can cut and restore the connection).
import assert from "node:assert/strict";
import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { filterExpression, milvusString, openMilvusVectorStore } from "./milvus.ts";
import { openVectorStore } from "./open.ts";
import { type VectorStore, VectorStoreStartError, VectorStoreUnavailable } from "./port.ts";

const milvusAddress = Deno.env.get("MILVUS_ADDRESS");
if (!milvusAddress) console.log("milvus adapter (outage tests): skipped: MILVUS_ADDRESS not set");

const quiet = createLogger("error", () => {});

Deno.test("filter expressions: strict time bound, any-of symbols, escaped strings", () => {
  assert.equal(filterExpression({ k: 1 }), "");
  assert.equal(
    filterExpression({ k: 1, publishedBefore: 1_700_000_000_000 }),
    "published_at < 1700000000000",
  );
  assert.equal(
    filterExpression({ k: 1, publishedBefore: 5, symbols: ["AAPL", "BRK.B"] }),
    'published_at < 5 and array_contains_any(symbols, ["AAPL", "BRK.B"])',
  );
  assert.equal(milvusString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(milvusString('" or true or "'), '"\\" or true or \\""');
});

/** A port nobody listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

Deno.test("an unreachable Milvus at start-up is one clear line, quickly", async () => {
  const address = `127.0.0.1:${closedPort()}`;
  const started = performance.now();
  await assert.rejects(
    openMilvusVectorStore({ address, log: quiet, timeoutMs: 2_000 }),
    (error) => {
      assert.ok(error instanceof VectorStoreStartError);
      assert.match(
        error.message,
        new RegExp(`^Milvus at ${address} is unreachable: connection refused`),
      );
      assert.ok(!error.message.includes("\n"), "one line");
      return true;
    },
  );
  assert.ok(performance.now() - started < 3_000);
});

Deno.test("a Milvus port that never answers fails start-up within the timeout", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn); // accept, then say nothing
  })();
  try {
    const started = performance.now();
    await assert.rejects(
      openMilvusVectorStore({
        address: `127.0.0.1:${listener.addr.port}`,
        log: quiet,
        timeoutMs: 500,
      }),
      /is unreachable: no answer within 500 ms/,
    );
    assert.ok(performance.now() - started < 2_500);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const conn of held) conn.close();
  }
});

Deno.test("openVectorStore picks Milvus when MILVUS_ADDRESS is set, embedded otherwise", async () => {
  const address = `127.0.0.1:${closedPort()}`;
  await assert.rejects(
    openVectorStore(loadConfig({ MILVUS_ADDRESS: address, MILVUS_TIMEOUT_MS: "1000" }), quiet),
    VectorStoreStartError,
  );
  const dir = await Deno.makeTempDir({ prefix: "craveny-open-vectors-" });
  try {
    const store = await openVectorStore(loadConfig({ DATA_DIR: dir }), quiet);
    assert.equal(store.kind, "embedded");
    await store.ping();
    await store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A TCP proxy to `target` that can drop every connection (down), go silent, and come back. */
class Proxy {
  #listener: Deno.Listener<Deno.TcpConn, Deno.NetAddr> | null = null;
  #conns = new Set<Deno.Conn>();
  #silent = false;
  port = 0;

  constructor(readonly target: { hostname: string; port: number }) {}

  start(): void {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: this.port });
    this.#listener = listener;
    this.port = listener.addr.port;
    (async () => {
      for await (const conn of listener) this.#serve(conn);
    })().catch(() => {});
  }

  async #serve(client: Deno.Conn): Promise<void> {
    this.#conns.add(client);
    if (this.#silent) return; // accepted, never answered
    let server: Deno.Conn;
    try {
      server = await Deno.connect(this.target);
    } catch {
      client.close();
      return;
    }
    this.#conns.add(server);
    const pipe = (from: Deno.Conn, to: Deno.Conn) =>
      from.readable.pipeTo(to.writable).catch(() => {}).finally(() => {
        for (const conn of [from, to]) {
          try {
            conn.close();
          } catch { /* already closed */ }
          this.#conns.delete(conn);
        }
      });
    pipe(client, server);
    pipe(server, client);
  }

  /** Cuts every open connection. */
  #cut(): void {
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
    this.#conns.clear();
  }

  /** Stops listening and cuts every open connection: new connections are refused. */
  down(): void {
    this.#listener?.close();
    this.#listener = null;
    this.#cut();
  }

  /** Cuts every open connection; new ones are accepted but never answered. */
  silent(): void {
    this.#silent = true;
    this.#cut();
  }

  /** Listens again on the same port (once the OS has let go of it) and forwards. */
  async up(): Promise<void> {
    this.down();
    this.#silent = false;
    for (let attempt = 0;; attempt++) {
      try {
        return this.start();
      } catch (error) {
        if (!(error instanceof Deno.errors.AddrInUse) || attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}

function target(address: string) {
  const [hostname, port] = address.replace(/^https?:\/\//, "").split(":");
  return { hostname, port: Number(port) };
}

Deno.test({
  name: "a Milvus that goes down mid-operation fails calls clearly, then recovers",
  ignore: !milvusAddress,
  async fn() {
    const proxy = new Proxy(target(milvusAddress ?? ""));
    proxy.start();
    const namespace = `t${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}_`;
    let opened: VectorStore | undefined;
    try {
      const store = opened = await openMilvusVectorStore({
        address: `127.0.0.1:${proxy.port}`,
        log: quiet,
        namespace,
        timeoutMs: 1_500,
      });
      await store.ensureCollection("news_embeddings", 3, "outage-test:3");
      await store.upsert("news_embeddings", [
        { id: 1, vector: Float32Array.from([1, 0, 0]), symbols: ["A"], publishedAt: 1 },
      ]);
      const query = Float32Array.from([1, 0, 0]);
      assert.equal((await store.search("news_embeddings", query, { k: 1 })).length, 1);

      // Silent: the connection is cut; new ones are accepted but never answered.
      proxy.silent();
      const started = performance.now();
      await assert.rejects(
        store.search("news_embeddings", query, { k: 1 }),
        (error) =>
          error instanceof VectorStoreUnavailable && /no answer within/.test(error.message),
      );
      assert.ok(performance.now() - started < 4_000, "never hangs");

      // Down: refused connections.
      proxy.down();
      for (
        const call of [
          () => store.search("news_embeddings", query, { k: 1 }),
          () => store.count("news_embeddings"),
          () =>
            store.upsert("news_embeddings", [{
              id: 2,
              vector: query,
              symbols: [],
              publishedAt: 2,
            }]),
          () => store.ping(),
        ]
      ) {
        const started = performance.now();
        await assert.rejects(call(), (error) => {
          assert.ok(error instanceof VectorStoreUnavailable, String(error));
          assert.match(error.message, /^Milvus at 127\.0\.0\.1:\d+: /);
          return true;
        });
        assert.ok(performance.now() - started < 3_000, "fails within the timeout");
      }

      // Back: the same store works again once gRPC has reconnected.
      await proxy.up();
      let recovered = false;
      for (let attempt = 0; attempt < 40 && !recovered; attempt++) {
        try {
          await store.ping();
          recovered = (await store.search("news_embeddings", query, { k: 1 })).length === 1;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      assert.ok(recovered, "the store recovers after Milvus comes back");
    } finally {
      await opened?.close();
      proxy.down();
      // Clean up through a direct connection.
      const client = new MilvusClient({
        address: milvusAddress ?? "",
        telemetry: { enabled: false },
      });
      client.connectPromise.catch(() => {});
      const { data } = await client.listCollections();
      for (const { name } of data) {
        if (name.startsWith(namespace)) await client.dropCollection({ collection_name: name });
      }
      await client.closeConnection();
    }
  },
});
