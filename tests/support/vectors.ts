// A throwaway vector store per test: Milvus under a fresh collection prefix when MILVUS_ADDRESS is
// set (dropped again on dispose), otherwise the embedded store in a fresh temporary directory.
// Test support may read Deno.env.
import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { createLogger } from "../../lib/log.ts";
import { openEmbeddedVectorStore } from "../../lib/vectors/embedded.ts";
import { openMilvusVectorStore } from "../../lib/vectors/milvus.ts";
import type { VectorStore } from "../../lib/vectors/port.ts";

const quiet = createLogger("error", () => {});

export interface TestVectorStore extends AsyncDisposable {
  store: VectorStore;
  /** Closes the store and removes what it stored. */
  dispose(): Promise<void>;
}

/** A collection-name prefix no other test uses. */
export function testNamespace(): string {
  return `t${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}_`;
}

/** Drops every Milvus collection whose name starts with `prefix` (test namespaces only). */
export async function dropMilvusNamespace(address: string, prefix: string): Promise<void> {
  const client = new MilvusClient({ address, timeout: 10_000, telemetry: { enabled: false } });
  client.connectPromise.catch(() => {});
  try {
    const { data } = await client.listCollections();
    for (const { name } of data) {
      if (name.startsWith(prefix)) await client.dropCollection({ collection_name: name });
    }
  } finally {
    await client.closeConnection();
  }
}

/** The embedded store in a fresh temporary directory (also for tests that want it regardless). */
export async function openEmbeddedTestVectorStore(): Promise<TestVectorStore> {
  const dir = await Deno.makeTempDir({ prefix: "craveny-vectors-" });
  const store = await openEmbeddedVectorStore(dir, quiet);
  let disposing: Promise<void> | undefined;
  const dispose = () =>
    disposing ??= store.close().finally(() => Deno.remove(dir, { recursive: true }));
  return { store, dispose, [Symbol.asyncDispose]: dispose };
}

/** Milvus when MILVUS_ADDRESS is set, the embedded store otherwise. */
export async function openTestVectorStore(): Promise<TestVectorStore> {
  const address = Deno.env.get("MILVUS_ADDRESS")?.trim();
  if (!address) return openEmbeddedTestVectorStore();
  const namespace = testNamespace();
  const store = await openMilvusVectorStore({ address, log: quiet, namespace });
  let disposing: Promise<void> | undefined;
  const dispose = () =>
    disposing ??= store.close().finally(() => dropMilvusNamespace(address, namespace));
  return { store, dispose, [Symbol.asyncDispose]: dispose };
}
