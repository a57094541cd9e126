// Production adapter: Milvus through npm:@zilliz/milvus2-sdk-node.
//
// Schema of every physical collection: id Int64 primary key (the Postgres id, autoID off), vector
// FloatVector(dimension), symbols Array<VarChar> (filtered with `array_contains_any`), published_at
// Int64 (epoch ms); the embedder id and dimension are also kept in the collection's properties and
// checked on open. Created with Strong consistency so a search sees the upserts before it.
//
// SDK traps handled here (STACK-NOTES): the constructor starts connecting at once and leaves the
// connect promise's rejection unhandled, which would end the process, so a handler is attached
// immediately; every call carries the SDK `timeout` and also races a deadline of our own, so no
// call hangs; SDK errors (thrown gRPC errors, thrown status objects, error statuses in answers)
// become `VectorStoreUnavailable` (cannot reach Milvus) or `VectorStoreError` (Milvus refused).
// After a Milvus restart collections come back unloaded: a search or count that meets "not loaded"
// loads the collection and tries once more.
import {
  ConsistencyLevelEnum,
  DataType,
  ErrorCode,
  MilvusClient,
  type ResStatus,
} from "@zilliz/milvus2-sdk-node";
import type { MilvusIndexType } from "../config.ts";
import type { Logger } from "../log.ts";
import {
  checkBatchSize,
  checkCollection,
  checkIds,
  checkItems,
  checkNamespace,
  checkSearch,
  type CollectionBinding,
  type CollectionName,
  compareHits,
  DEFAULT_ID_BATCH,
  dimensionMismatch,
  MAX_SYMBOL_LENGTH,
  MAX_SYMBOLS,
  notEnsured,
  physicalCollectionName,
  type SearchOptions,
  type VectorHit,
  type VectorItem,
  type VectorStore,
  VectorStoreError,
  VectorStoreStartError,
  VectorStoreUnavailable,
} from "./port.ts";

export interface MilvusOptions {
  /** host:port (or http(s)://host:port). */
  address: string;
  log: Logger;
  /** Index built for new collections; existing collections keep theirs. Default HNSW. */
  indexType?: MilvusIndexType;
  /** Deadline of one call, connecting included. Default 10 s. */
  timeoutMs?: number;
  /** Prefix for physical collection names (tests use one per test). */
  namespace?: string;
}

const FIELD = { id: "id", vector: "vector", symbols: "symbols", publishedAt: "published_at" };
const PROPERTY = {
  collection: "craveny.collection",
  embedder: "craveny.embedder",
  dimension: "craveny.dimension",
};
/** Tried in this order after the configured index type fails. */
const INDEX_FALLBACKS: MilvusIndexType[] = ["AUTOINDEX", "FLAT"];
const INDEX_PARAMS: Record<MilvusIndexType, Record<string, number>> = {
  HNSW: { M: 16, efConstruction: 128 },
  IVF_FLAT: { nlist: 128 },
  FLAT: {},
  AUTOINDEX: {},
};
const UPSERT_BATCH = 500;
const DELETE_BATCH = 1_000;
/** Milvus' code for "collection not loaded". */
const NOT_LOADED = 101;

interface Bound extends CollectionBinding {
  indexType: string;
}

/** A Milvus string literal: double-quoted, backslash and quote escaped. */
export function milvusString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The boolean expression for the search filters ("" when there are none). */
export function filterExpression(options: SearchOptions): string {
  const parts: string[] = [];
  if (options.publishedBefore !== undefined) {
    parts.push(`${FIELD.publishedAt} < ${options.publishedBefore}`);
  }
  if (options.symbols !== undefined) {
    parts.push(
      `array_contains_any(${FIELD.symbols}, [${options.symbols.map(milvusString).join(", ")}])`,
    );
  }
  return parts.join(" and ");
}

function isSuccess(status: ResStatus | undefined): boolean {
  return status?.error_code === ErrorCode.SUCCESS && (status.code ?? 0) === 0;
}

function isNotLoaded(status: ResStatus | undefined): boolean {
  return status?.code === NOT_LOADED || /not loaded/i.test(status?.reason ?? "");
}

function isStatus(value: unknown): value is ResStatus {
  return typeof value === "object" && value !== null && "error_code" in value &&
    "reason" in value;
}

function grpcCode(error: unknown): number | undefined {
  if (error instanceof Error && "code" in error && typeof error.code === "number") {
    return error.code;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0].replace(/\s+/g, " ").trim().slice(0, 300);
}

/** Why Milvus can't be reached, in words an operator can act on. */
function unreachableReason(error: unknown, timeoutMs: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED/.test(message)) {
    return "connection refused (is Milvus running and listening on that port?)";
  }
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/i.test(message)) {
    return "host name not found";
  }
  if (grpcCode(error) === 4 || /DEADLINE_EXCEEDED|no answer within/.test(message)) {
    return `no answer within ${timeoutMs} ms`;
  }
  return firstLine(message.replace(/^\d+ [A-Z_]+: /, ""));
}

class Deadline extends Error {}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline(`no answer within ${ms} ms`)), ms);
  });
  try {
    // Promise.race subscribes to `work`, so its late rejection is never unhandled.
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export class MilvusVectorStore implements VectorStore {
  readonly kind = "milvus";
  readonly #bindings = new Map<CollectionName, Bound>();
  #closed = false;

  private constructor(
    readonly client: MilvusClient,
    readonly address: string,
    readonly log: Logger,
    readonly indexType: MilvusIndexType,
    readonly timeoutMs: number,
    readonly namespace: string,
  ) {}

  /** Connects and checks Milvus answers; throws `VectorStoreStartError` (one line) otherwise. */
  static async open(options: MilvusOptions): Promise<MilvusVectorStore> {
    const namespace = checkNamespace(options.namespace ?? "");
    const timeoutMs = options.timeoutMs ?? 10_000;
    const log = options.log.child({ component: "vectors" });
    let client: MilvusClient;
    try {
      client = new MilvusClient({
        address: options.address,
        timeout: timeoutMs,
        logLevel: "error",
        telemetry: { enabled: false },
      });
    } catch (error) {
      throw new VectorStoreStartError(
        `Milvus at ${options.address}: ${unreachableReason(error, timeoutMs)}`,
        { cause: error },
      );
    }
    // Unhandled, this rejection would end the process even if the caller catches everything.
    client.connectPromise.catch(() => {});
    try {
      const health = await withDeadline(
        client.connectPromise.then(() => client.checkHealth()),
        timeoutMs + 1_000,
      );
      if (!health.isHealthy) {
        throw new Error(`unhealthy: ${health.reasons?.join("; ") || "no reason given"}`);
      }
    } catch (error) {
      await withDeadline(client.closeConnection(), 2_000).catch(() => {});
      throw new VectorStoreStartError(
        `Milvus at ${options.address} is unreachable: ${unreachableReason(error, timeoutMs)}`,
        { cause: error },
      );
    }
    log.debug("milvus connected", { address: options.address });
    return new MilvusVectorStore(
      client,
      options.address,
      log,
      options.indexType ?? "HNSW",
      timeoutMs,
      namespace,
    );
  }

  /** Runs one SDK call under a deadline and turns its failures into the port's errors. */
  async #call<T>(what: string, work: () => Promise<T>, budgetMs = this.timeoutMs): Promise<T> {
    if (this.#closed) throw new VectorStoreError("the vector store is closed");
    try {
      return await withDeadline(Promise.resolve().then(work), budgetMs + 1_000);
    } catch (error) {
      throw this.#translate(what, error);
    }
  }

  #translate(what: string, error: unknown): Error {
    if (error instanceof VectorStoreError || error instanceof VectorStoreUnavailable) return error;
    if (isStatus(error)) return this.#refused(what, error);
    const code = grpcCode(error);
    // gRPC UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED or our own deadline: Milvus is not answering.
    if (error instanceof Deadline || code === 14 || code === 4 || code === 1) {
      return new VectorStoreUnavailable(
        `Milvus at ${this.address}: ${what}: ${unreachableReason(error, this.timeoutMs)}`,
        { cause: error },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new VectorStoreError(`Milvus ${what}: ${firstLine(message)}`, { cause: error });
  }

  #refused(what: string, status: ResStatus | undefined): VectorStoreError {
    const reason = status ? `${status.reason || status.error_code} (code ${status.code})` : "";
    return new VectorStoreError(`Milvus ${what}: ${reason || "no status in the answer"}`);
  }

  #check(what: string, status: ResStatus | undefined): void {
    if (!isSuccess(status)) throw this.#refused(what, status);
  }

  #bound(name: CollectionName): Bound {
    if (this.#closed) throw new VectorStoreError("the vector store is closed");
    const bound = this.#bindings.get(name);
    if (!bound) throw notEnsured(name);
    return bound;
  }

  async ensureCollection(
    name: CollectionName,
    dimension: number,
    embedderId: string,
  ): Promise<void> {
    checkCollection(name, dimension, embedderId);
    const physical = physicalCollectionName(this.namespace, name, embedderId);
    const current = this.#bindings.get(name);
    if (current?.physical === physical) {
      if (current.dimension !== dimension) {
        throw dimensionMismatch(current, current.dimension, dimension);
      }
      return;
    }
    const binding: CollectionBinding = { name, physical, dimension, embedderId };
    const exists = await this.#call(`has ${physical}`, async () => {
      const answer = await this.client.hasCollection({
        collection_name: physical,
        timeout: this.timeoutMs,
      });
      this.#check(`has ${physical}`, answer.status);
      return Boolean(answer.value);
    });
    if (!exists) await this.#create(binding);
    await this.#verify(binding);
    const indexType = await this.#ensureIndexAndLoad(binding);
    this.#bindings.set(name, { ...binding, indexType });
  }

  async #create(binding: CollectionBinding): Promise<void> {
    const what = `create ${binding.physical}`;
    try {
      await this.#call(what, async () => {
        const status = await this.client.createCollection({
          collection_name: binding.physical,
          description: `Craveny ${binding.name} for embedder ${binding.embedderId}`,
          consistency_level: "Strong",
          enable_dynamic_field: false,
          fields: [
            {
              name: FIELD.id,
              data_type: DataType.Int64,
              is_primary_key: true,
              autoID: false,
            },
            { name: FIELD.vector, data_type: DataType.FloatVector, dim: binding.dimension },
            {
              name: FIELD.symbols,
              data_type: DataType.Array,
              element_type: DataType.VarChar,
              max_capacity: MAX_SYMBOLS,
              max_length: MAX_SYMBOL_LENGTH * 4, // bytes: four per character at most in UTF-8
            },
            { name: FIELD.publishedAt, data_type: DataType.Int64 },
          ],
          properties: {
            [PROPERTY.collection]: binding.name,
            [PROPERTY.embedder]: binding.embedderId,
            [PROPERTY.dimension]: String(binding.dimension),
          },
          timeout: this.timeoutMs,
        });
        this.#check(what, status);
      });
      this.log.info("milvus collection created", { collection: binding.physical });
    } catch (error) {
      // Another process created it first: fine, #verify checks it is the same collection.
      if (!(error instanceof VectorStoreError && /already exist/i.test(error.message))) throw error;
    }
  }

  /** The existing collection must hold this embedder's vectors with this dimension. */
  async #verify(binding: CollectionBinding): Promise<void> {
    const what = `describe ${binding.physical}`;
    const described = await this.#call(what, async () => {
      const answer = await this.client.describeCollection({
        collection_name: binding.physical,
        timeout: this.timeoutMs,
      });
      this.#check(what, answer.status);
      return answer;
    });
    const fields = new Map(described.schema.fields.map((field) => [field.name, field]));
    const vector = fields.get(FIELD.vector);
    const dimParam = vector?.type_params?.find((param) => param.key === "dim")?.value;
    const stored = Number(vector?.dim ?? dimParam);
    const properties = new Map(
      (described.properties ?? []).map((pair) => [String(pair.key), String(pair.value)]),
    );
    const embedder = properties.get(PROPERTY.embedder);
    if (
      !fields.has(FIELD.id) || !fields.has(FIELD.symbols) || !fields.has(FIELD.publishedAt) ||
      !vector || !Number.isInteger(stored)
    ) {
      throw new VectorStoreError(
        `Milvus collection ${binding.physical} exists but is not a Craveny vector collection ` +
          `(fields ${[...fields.keys()].join(", ")})`,
      );
    }
    if (embedder !== undefined && embedder !== binding.embedderId) {
      throw new VectorStoreError(
        `Milvus collection ${binding.physical} belongs to embedder ${JSON.stringify(embedder)}, ` +
          `not ${JSON.stringify(binding.embedderId)} (their collection names collide)`,
      );
    }
    if (stored !== binding.dimension) throw dimensionMismatch(binding, stored, binding.dimension);
  }

  /** Creates the vector index if there is none (configured type, then fallbacks), then loads. */
  async #ensureIndexAndLoad(binding: CollectionBinding): Promise<string> {
    const existing = await this.#indexType(binding.physical);
    if (existing) {
      await this.#load(binding.physical);
      return existing;
    }
    const candidates = [this.indexType, ...INDEX_FALLBACKS.filter((t) => t !== this.indexType)];
    let lastError: unknown;
    for (const indexType of candidates) {
      const what = `create ${indexType} index on ${binding.physical}`;
      try {
        await this.#call(what, async () => {
          const status = await this.client.createIndex({
            collection_name: binding.physical,
            field_name: FIELD.vector,
            index_type: indexType,
            metric_type: "COSINE",
            params: INDEX_PARAMS[indexType],
            timeout: this.timeoutMs,
          });
          this.#check(what, status);
        });
        await this.#load(binding.physical);
        if (indexType !== this.indexType) {
          this.log.warn("milvus index type not supported here; using a fallback", {
            collection: binding.physical,
            wanted: this.indexType,
            using: indexType,
            reason: lastError instanceof Error ? lastError.message : String(lastError),
          });
        }
        return indexType;
      } catch (error) {
        if (error instanceof VectorStoreUnavailable) throw error;
        lastError = error;
        // Drop whatever half-worked before trying the next type.
        await this.#call(`drop index on ${binding.physical}`, async () => {
          await this.client.releaseCollection({
            collection_name: binding.physical,
            timeout: this.timeoutMs,
          });
          await this.client.dropIndex({
            collection_name: binding.physical,
            field_name: FIELD.vector,
            timeout: this.timeoutMs,
          });
        }).catch(() => {});
      }
    }
    throw lastError;
  }

  async #indexType(physical: string): Promise<string | undefined> {
    return await this.#call(`describe index on ${physical}`, async () => {
      const answer = await this.client.describeIndex({
        collection_name: physical,
        field_name: FIELD.vector,
        timeout: this.timeoutMs,
      });
      if (!isSuccess(answer.status)) return undefined; // IndexNotExist
      const params = answer.index_descriptions?.[0]?.params ?? [];
      return String(params.find((pair) => pair.key === "index_type")?.value ?? "") || undefined;
    });
  }

  async #load(physical: string): Promise<void> {
    const what = `load ${physical}`;
    // Loading a big collection takes a while: several polls, each under the call timeout.
    await this.#call(what, async () => {
      const status = await this.client.loadCollectionSync({
        collection_name: physical,
        timeout: this.timeoutMs,
      });
      this.#check(what, status);
    }, this.timeoutMs * 6);
  }

  /** Runs a read; when Milvus answers "not loaded" (after a restart), loads and retries once. */
  async #read<T extends { status: ResStatus }>(
    what: string,
    physical: string,
    work: () => Promise<T>,
  ): Promise<T> {
    let answer = await this.#call(what, work);
    if (isNotLoaded(answer.status)) {
      this.log.info("milvus collection was not loaded; loading it", { collection: physical });
      await this.#load(physical);
      answer = await this.#call(what, work);
    }
    this.#check(what, answer.status);
    return answer;
  }

  async upsert(name: CollectionName, items: VectorItem[]): Promise<void> {
    const bound = this.#bound(name);
    const valid = checkItems(bound, items);
    for (let start = 0; start < valid.length; start += UPSERT_BATCH) {
      const batch = valid.slice(start, start + UPSERT_BATCH);
      const what = `upsert into ${bound.physical}`;
      await this.#call(what, async () => {
        const answer = await this.client.upsert({
          collection_name: bound.physical,
          data: batch.map((item) => ({
            [FIELD.id]: item.id,
            [FIELD.vector]: Array.from(item.vector),
            [FIELD.symbols]: item.symbols,
            [FIELD.publishedAt]: item.publishedAt,
          })),
          timeout: this.timeoutMs,
        });
        this.#check(what, answer.status);
        if (answer.err_index?.length) {
          throw new VectorStoreError(`Milvus ${what}: ${answer.err_index.length} rows refused`);
        }
      });
    }
  }

  async delete(name: CollectionName, ids: number[]): Promise<void> {
    const bound = this.#bound(name);
    const unique = checkIds(bound, ids);
    for (let start = 0; start < unique.length; start += DELETE_BATCH) {
      const batch = unique.slice(start, start + DELETE_BATCH);
      const what = `delete from ${bound.physical}`;
      await this.#call(what, async () => {
        const answer = await this.client.delete({
          collection_name: bound.physical,
          filter: `${FIELD.id} in [${batch.join(", ")}]`,
          consistency_level: "Strong",
          timeout: this.timeoutMs,
        });
        this.#check(what, answer.status);
      });
    }
  }

  async search(
    name: CollectionName,
    vector: Float32Array,
    options: SearchOptions,
  ): Promise<VectorHit[]> {
    const bound = this.#bound(name);
    checkSearch(bound, vector, options);
    if (options.symbols?.length === 0) return [];
    const filter = filterExpression(options);
    const params: Record<string, number> = bound.indexType === "HNSW"
      ? { ef: Math.max(128, options.k) }
      : bound.indexType === "IVF_FLAT"
      ? { nprobe: 16 }
      : {};
    const answer = await this.#read(
      `search ${bound.physical}`,
      bound.physical,
      () =>
        this.client.search({
          collection_name: bound.physical,
          anns_field: FIELD.vector,
          data: Array.from(vector),
          limit: options.k,
          metric_type: "COSINE",
          params,
          consistency_level: ConsistencyLevelEnum.Strong,
          output_fields: [FIELD.id, FIELD.publishedAt, FIELD.symbols],
          ...(filter ? { filter } : {}),
          timeout: this.timeoutMs,
        }),
    );
    const wanted = options.symbols ? new Set(options.symbols) : undefined;
    const hits: VectorHit[] = [];
    let leaked = 0;
    for (const row of answer.results ?? []) {
      const hit = {
        id: Number(row[FIELD.id] ?? row.id),
        score: Math.max(-1, Math.min(1, Number(row.score))),
        publishedAt: Number(row[FIELD.publishedAt]),
      };
      // Point-in-time guard: never trust a filter blindly where leaking the future would
      // silently inflate every backtest.
      const symbols: unknown = row[FIELD.symbols];
      const symbolMiss = wanted && Array.isArray(symbols) &&
        !symbols.some((symbol) => wanted.has(String(symbol)));
      if (
        (options.publishedBefore !== undefined && !(hit.publishedAt < options.publishedBefore)) ||
        symbolMiss
      ) {
        leaked++;
        continue;
      }
      hits.push(hit);
    }
    if (leaked) {
      this.log.error("milvus returned hits outside the search filter; dropped them", {
        collection: bound.physical,
        dropped: leaked,
        filter,
      });
    }
    return hits.sort(compareHits);
  }

  async count(name: CollectionName): Promise<number> {
    const bound = this.#bound(name);
    const answer = await this.#read(
      `count ${bound.physical}`,
      bound.physical,
      () => this.client.count({ collection_name: bound.physical, timeout: this.timeoutMs }),
    );
    return Number(answer.data);
  }

  async *ids(name: CollectionName, batchSize = DEFAULT_ID_BATCH): AsyncIterable<number[]> {
    checkBatchSize(batchSize);
    const bound = this.#bound(name);
    let filter = `${FIELD.id} >= ${Number.MIN_SAFE_INTEGER}`;
    while (true) {
      const answer = await this.#read(
        `list ids of ${bound.physical}`,
        bound.physical,
        () =>
          this.client.query({
            collection_name: bound.physical,
            filter,
            output_fields: [FIELD.id],
            limit: batchSize,
            // Iterator mode: results in primary-key order, so `id > last` pages through them all.
            params: { iterator: true },
            consistency_level: ConsistencyLevelEnum.Strong,
            timeout: this.timeoutMs,
          }),
      );
      const ids = (answer.data ?? []).map((row) => Number(row[FIELD.id])).sort((a, b) => a - b);
      if (ids.length === 0) return;
      yield ids;
      filter = `${FIELD.id} > ${ids[ids.length - 1]}`;
    }
  }

  /**
   * Seals what was upserted into indexed segments (not part of the port). Milvus does this on its
   * own over time; after a bulk load (a re-embed) calling it makes searches use the index at once.
   * Milvus Lite searches unsealed rows by brute force in Python: about 2 s over 40k × 384.
   */
  async flush(name: CollectionName): Promise<void> {
    const bound = this.#bound(name);
    const what = `flush ${bound.physical}`;
    await this.#call(what, async () => {
      const answer = await this.client.flushSync({
        collection_names: [bound.physical],
        timeout: this.timeoutMs,
      });
      this.#check(what, answer.status);
    }, this.timeoutMs * 6);
  }

  async ping(): Promise<void> {
    const health = await this.#call(
      "health check",
      () => this.client.checkHealth(),
    );
    if (!health.isHealthy) {
      throw new VectorStoreUnavailable(
        `Milvus at ${this.address} is unhealthy: ${health.reasons?.join("; ") || "no reason"}`,
      );
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#bindings.clear();
    await withDeadline(this.client.closeConnection(), 5_000).catch((error) =>
      this.log.warn("milvus connection did not close cleanly", { error })
    );
  }
}

/** Connects to Milvus; throws `VectorStoreStartError` with one clear line when it can't. */
export function openMilvusVectorStore(options: MilvusOptions): Promise<MilvusVectorStore> {
  return MilvusVectorStore.open(options);
}
