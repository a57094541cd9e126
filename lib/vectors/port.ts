/**
 * The vector store: news and prediction embeddings keyed by Postgres ids, searched by cosine
 * similarity under point-in-time filters. Adapters: Milvus (milvus.ts) and an in-process exact
 * index persisted under the data directory (embedded.ts); open.ts picks one from config.
 *
 * Rules every adapter follows (the contract suite checks them against both):
 * - A collection is bound to one embedder: `ensureCollection(name, dimension, embedderId)` opens
 *   the physical collection `<name>__<slug of embedderId>` and binds `name` to it for the calls
 *   that follow on this store. Another embedder id gets another physical collection, so vectors of
 *   different embedders never mix; the same embedder id with another dimension is refused with a
 *   `VectorStoreError`. Calls on a name that was never ensured are refused too.
 * - Vectors must have exactly the collection's dimension, finite components and a non-zero length;
 *   anything else is a `VectorStoreError` and nothing of the batch is written.
 * - `search` answers the `k` most cosine-similar items, best first (ties: smaller id first).
 *   `publishedBefore` is strict: an item published exactly at that instant is excluded (DESIGN §5:
 *   similar-news search for a prediction as of T sees only `published_at < T`). `symbols` keeps
 *   items tagged with at least one of the given symbols; an empty list matches nothing.
 * - `upsert` of an existing id replaces the item (vector, symbols and publishedAt).
 * - An unreachable backend rejects with `VectorStoreUnavailable` within the adapter's timeout: no
 *   call hangs, and no failure escapes as an unhandled rejection.
 */

export const COLLECTION_NAMES = ["news_embeddings", "prediction_embeddings"] as const;
export type CollectionName = typeof COLLECTION_NAMES[number];

export interface VectorItem {
  /** The Postgres id of the news item or prediction. */
  id: number;
  vector: Float32Array;
  /** Stock symbols the item is about (at most `MAX_SYMBOLS`, each 1–`MAX_SYMBOL_LENGTH` chars). */
  symbols: string[];
  /** Epoch milliseconds. */
  publishedAt: number;
}

export interface SearchOptions {
  /** How many hits at most: 1 to `MAX_K`. */
  k: number;
  /** Only items tagged with at least one of these symbols. */
  symbols?: string[];
  /** Only items with `publishedAt < publishedBefore` (epoch ms, strictly less than). */
  publishedBefore?: number;
}

export interface VectorHit {
  id: number;
  /** Cosine similarity, -1 to 1. */
  score: number;
  publishedAt: number;
}

export interface VectorStore {
  readonly kind: "milvus" | "embedded";
  /** Creates or opens the physical collection of `name` for this embedder and binds `name` to it. */
  ensureCollection(name: CollectionName, dimension: number, embedderId: string): Promise<void>;
  /** Inserts or replaces items by id; all or nothing on invalid input. */
  upsert(name: CollectionName, items: VectorItem[]): Promise<void>;
  /** Removes these ids; unknown ids are ignored. */
  delete(name: CollectionName, ids: number[]): Promise<void>;
  search(name: CollectionName, vector: Float32Array, options: SearchOptions): Promise<VectorHit[]>;
  count(name: CollectionName): Promise<number>;
  /** Every stored id, ascending, in batches of at most `batchSize` (for reconciling with SQL). */
  ids(name: CollectionName, batchSize?: number): AsyncIterable<number[]>;
  /** Resolves when the backend answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Milvus limits, applied to every adapter so both behave alike. */
export const MAX_K = 16_384;
export const MAX_DIMENSION = 32_768;
export const MAX_SYMBOLS = 256;
export const MAX_SYMBOL_LENGTH = 64;
export const DEFAULT_ID_BATCH = 1_000;

/** Invalid input or misuse (wrong dimension, unknown collection, embedder mismatch). */
export class VectorStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "VectorStoreError";
  }
}

/** The backend can't be reached or did not answer in time. */
export class VectorStoreUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "VectorStoreUnavailable";
  }
}

/** The configured vector store could not be opened at start-up: one operator-readable line. */
export class VectorStoreStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "VectorStoreStartError";
  }
}

/** The physical collection a logical name is bound to. */
export interface CollectionBinding {
  name: CollectionName;
  physical: string;
  dimension: number;
  embedderId: string;
}

/** FNV-1a, 32 bits, over the UTF-16 code units: a short, stable fingerprint. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * `<namespace><name>__<slug>_<fingerprint>`: letters, digits and underscores only (Milvus' rule),
 * readable, and distinct for embedder ids that slug alike ("a-b" and "a_b").
 */
export function physicalCollectionName(
  namespace: string,
  name: CollectionName,
  embedderId: string,
): string {
  const slug = embedderId.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "")
    .slice(0, 80);
  return `${namespace}${name}__${slug ? `${slug}_` : ""}${fingerprint(embedderId)}`;
}

/** A namespace prefix (tests use one per test): empty, or a Milvus-safe identifier start. */
export function checkNamespace(namespace: string): string {
  if (namespace !== "" && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(namespace)) {
    throw new VectorStoreError(
      `vector namespace ${JSON.stringify(namespace)}: letters, digits and underscores only`,
    );
  }
  return namespace;
}

export function checkCollection(
  name: CollectionName,
  dimension: number,
  embedderId: string,
): void {
  if (!(COLLECTION_NAMES as readonly string[]).includes(name)) {
    throw new VectorStoreError(
      `unknown vector collection ${JSON.stringify(name)} (expected ${COLLECTION_NAMES.join(", ")})`,
    );
  }
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_DIMENSION) {
    throw new VectorStoreError(
      `${name}: dimension must be an integer from 1 to ${MAX_DIMENSION}, got ${dimension}`,
    );
  }
  if (typeof embedderId !== "string" || !embedderId.trim() || embedderId.length > 200) {
    throw new VectorStoreError(`${name}: embedder id must be a non-empty string (≤ 200 chars)`);
  }
  // Embedder ids end in their dimension (lib/embed/port.ts: `${name}:${dimension}`).
  const named = /:(\d+)$/.exec(embedderId);
  if (named && Number(named[1]) !== dimension) {
    throw new VectorStoreError(
      `${name}: embedder ${JSON.stringify(embedderId)} names ${named[1]} dimensions, ` +
        `but dimension ${dimension} was given`,
    );
  }
}

/** The refusal for reopening an embedder's collection with another dimension. */
export function dimensionMismatch(
  binding: Pick<CollectionBinding, "name" | "physical" | "embedderId">,
  stored: number,
  asked: number,
): VectorStoreError {
  return new VectorStoreError(
    `${binding.name}: collection ${binding.physical} of embedder ` +
      `${JSON.stringify(binding.embedderId)} holds ${stored}-dimensional vectors, not ${asked}: ` +
      `a new dimension needs a new embedder id (its own collection, filled by a re-embed)`,
  );
}

export function notEnsured(name: CollectionName): VectorStoreError {
  return new VectorStoreError(
    `${name}: call ensureCollection(name, dimension, embedderId) on this store first`,
  );
}

/** Throws unless `vector` is a finite, non-zero Float32Array of the collection's dimension. */
export function checkVector(binding: CollectionBinding, vector: unknown, what: string): void {
  if (!(vector instanceof Float32Array)) {
    throw new VectorStoreError(`${binding.name}: ${what} must be a Float32Array`);
  }
  if (vector.length !== binding.dimension) {
    throw new VectorStoreError(
      `${binding.name}: ${what} has ${vector.length} dimensions, expected ${binding.dimension} ` +
        `(embedder ${JSON.stringify(binding.embedderId)})`,
    );
  }
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i] * vector[i];
  if (!Number.isFinite(squares)) {
    throw new VectorStoreError(`${binding.name}: ${what} has a non-finite component`);
  }
  if (squares === 0) {
    throw new VectorStoreError(`${binding.name}: ${what} is a zero vector (no direction)`);
  }
}

function checkSymbols(binding: CollectionBinding, symbols: unknown, what: string): string[] {
  if (!Array.isArray(symbols)) {
    throw new VectorStoreError(`${binding.name}: ${what} must be an array of strings`);
  }
  if (symbols.length > MAX_SYMBOLS) {
    throw new VectorStoreError(
      `${binding.name}: ${what} has ${symbols.length} symbols, at most ${MAX_SYMBOLS} allowed`,
    );
  }
  for (const symbol of symbols) {
    if (
      typeof symbol !== "string" || symbol.length === 0 || symbol.length > MAX_SYMBOL_LENGTH ||
      // deno-lint-ignore no-control-regex
      /[\u0000-\u001f\u007f]/.test(symbol)
    ) {
      throw new VectorStoreError(
        `${binding.name}: ${what}: invalid symbol ${JSON.stringify(symbol)} ` +
          `(1–${MAX_SYMBOL_LENGTH} characters, no control characters)`,
      );
    }
  }
  return symbols;
}

function checkId(binding: CollectionBinding, id: unknown): number {
  if (typeof id !== "number" || !Number.isSafeInteger(id)) {
    throw new VectorStoreError(`${binding.name}: id ${String(id)} is not a safe integer`);
  }
  return id;
}

function checkTime(binding: CollectionBinding, value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new VectorStoreError(
      `${binding.name}: ${what} must be an integer epoch-milliseconds value, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates a whole batch before anything is written; a later duplicate id wins. */
export function checkItems(binding: CollectionBinding, items: VectorItem[]): VectorItem[] {
  if (!Array.isArray(items)) throw new VectorStoreError(`${binding.name}: items must be an array`);
  const byId = new Map<number, VectorItem>();
  for (const item of items) {
    const id = checkId(binding, item?.id);
    checkVector(binding, item.vector, `vector for id ${id}`);
    checkSymbols(binding, item.symbols, `symbols for id ${id}`);
    checkTime(binding, item.publishedAt, `publishedAt for id ${id}`);
    byId.delete(id); // keep the last occurrence's position
    byId.set(id, item);
  }
  return [...byId.values()];
}

export function checkIds(binding: CollectionBinding, ids: number[]): number[] {
  if (!Array.isArray(ids)) throw new VectorStoreError(`${binding.name}: ids must be an array`);
  return [...new Set(ids.map((id) => checkId(binding, id)))];
}

export function checkSearch(
  binding: CollectionBinding,
  vector: Float32Array,
  options: SearchOptions,
): void {
  checkVector(binding, vector, "query vector");
  const k = options?.k;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new VectorStoreError(
      `${binding.name}: k must be an integer from 1 to ${MAX_K}, got ${k}`,
    );
  }
  if (options.symbols !== undefined) checkSymbols(binding, options.symbols, "symbols filter");
  if (options.publishedBefore !== undefined) {
    checkTime(binding, options.publishedBefore, "publishedBefore");
  }
}

export function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_K) {
    throw new VectorStoreError(`ids batch size must be an integer from 1 to ${MAX_K}`);
  }
  return batchSize;
}

/** Orders hits best first, ties by smaller id: the same order from every adapter. */
export function compareHits(a: VectorHit, b: VectorHit): number {
  return b.score - a.score || a.id - b.id;
}
