// Picks the vector store from configuration: Milvus when MILVUS_ADDRESS is set, otherwise the
// embedded exact index under DATA_DIR.
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { openEmbeddedVectorStore } from "./embedded.ts";
import { openMilvusVectorStore } from "./milvus.ts";
import type { VectorStore } from "./port.ts";

/**
 * Opens the configured vector store. An unreachable Milvus (or a locked data directory) throws a
 * `VectorStoreStartError` whose message is one operator-readable line.
 */
export function openVectorStore(config: Config, log: Logger): Promise<VectorStore> {
  return config.milvusAddress
    ? openMilvusVectorStore({
      address: config.milvusAddress,
      log,
      indexType: config.milvusIndex,
      timeoutMs: config.milvusTimeoutMs,
    })
    : openEmbeddedVectorStore(config.dataDir, log);
}
