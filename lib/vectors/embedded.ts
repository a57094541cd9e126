// The embedded vector store: exact cosine top-k in process, persisted under `<dataDir>/vectors/`.
//
// Memory: per collection one contiguous slab of L2-normalised float32 vectors (so cosine is a dot
// product), grown by doubling, plus ids, publish times and symbol codes per row. The slab is the
// linear memory of a tiny WebAssembly SIMD kernel (built below, byte by byte) that scores the rows
// passing the filters: 100k × 384 dimensions in a few milliseconds, where a plain JS loop needs
// 30–40 ms (DESIGN §9 asks for top-10 over 100k under 20 ms p95). Top-k selection is a bounded
// min-heap. Deleting swaps the last row into the hole, so memory follows the live vectors.
//
// Disk, per physical collection (see port.ts for naming), all little-endian:
//   <physical>.json          header: embedder id, dimension, count, symbol dictionary, generation
//   <physical>.<gen>.bin     snapshot: ids f64[n], publishedAt f64[n], symbol counts u32[n],
//                            symbol codes u32[Σcounts], vectors f32[n × dimension]
//   <physical>.<gen>.log     journal of upserts and deletes since the snapshot: records of
//                            [u32 payload length][u32 CRC-32 of payload][payload]
// An upsert or delete resolves once its journal record is written (before memory changes), so a
// killed process loses nothing it acknowledged; a torn last record is dropped at load. When the
// journal outgrows the snapshot (and at close) a new generation is written: snapshot first, then
// the header through a temporary file and a rename, then the old files go. A kill at any point
// leaves the header naming a complete generation; leftovers are removed at the next load.
import { join } from "node:path";
import { acquireLockFile, type LockFile, LockHeldError } from "../db/lock_file.ts";
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
  notEnsured,
  physicalCollectionName,
  type SearchOptions,
  type VectorHit,
  type VectorItem,
  type VectorStore,
  VectorStoreError,
  VectorStoreStartError,
} from "./port.ts";

// ---------------------------------------------------------------------------------------------
// The scoring kernel: dot_rows(vectors, strideBytes, query, rows, count, out) writes
// out[i] = dot(vectors + rows[i] × strideBytes, query) for i < count, 16 floats per loop turn in
// four f32x4 accumulators. Rows are padded with zeros to a multiple of 16 floats.

const STRIDE_FLOATS = 16;

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return bytes;
}

function sleb(value: number): number[] {
  const bytes: number[] = [];
  while (true) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && (byte & 0x40))) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

function kernelBytes(): Uint8Array<ArrayBuffer> {
  const name = (text: string) => [...uleb(text.length), ...new TextEncoder().encode(text)];
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  // Locals: six i32 parameters, then four i32 and four v128 locals.
  const [VECTORS, STRIDE, QUERY, ROWS, COUNT, OUT, I, P, END, Q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const ACC = [10, 11, 12, 13];
  const get = (local: number) => [0x20, local];
  const set = (local: number) => [0x21, local];
  const tee = (local: number) => [0x22, local];
  const i32 = (value: number) => [0x41, ...sleb(value)];
  const [I32_ADD, I32_MUL, I32_SHL, I32_LT_U, I32_EQZ, F32_ADD] = [
    0x6a,
    0x6c,
    0x74,
    0x49,
    0x45,
    0x92,
  ];
  const I32_LOAD = [0x28, 2, 0]; // align 4, offset 0
  const F32_STORE = [0x38, 2, 0];
  const simd = (op: number, ...immediates: number[]) => [0xfd, ...uleb(op), ...immediates];
  const V128_LOAD = (offset: number) => simd(0x00, 4, ...uleb(offset)); // align 16
  const V128_ZERO = simd(0x0c, ...new Array(16).fill(0));
  const F32X4_ADD = simd(0xe4);
  const F32X4_MUL = simd(0xe6);
  const LANE = (lane: number) => simd(0x1f, lane); // f32x4.extract_lane
  const [BLOCK, LOOP, BR_IF, END_OP, VOID] = [0x02, 0x03, 0x0d, 0x0b, 0x40];

  const accumulate = (acc: number, offset: number) => [
    ...get(acc),
    ...get(P),
    ...V128_LOAD(offset),
    ...get(Q),
    ...V128_LOAD(offset),
    ...F32X4_MUL,
    ...F32X4_ADD,
    ...set(acc),
  ];
  // deno-fmt-ignore
  const body = [
    2, 4, 0x7f, 4, 0x7b, // locals: 4 × i32, 4 × v128
    BLOCK, VOID,
    ...get(COUNT), I32_EQZ, BR_IF, 0,
    LOOP, VOID, // per row
    // p = vectors + rows[i] × stride; end = p + stride; q = query; acc* = 0
    ...get(VECTORS), ...get(ROWS), ...get(I), ...i32(2), I32_SHL, I32_ADD, ...I32_LOAD,
    ...get(STRIDE), I32_MUL, I32_ADD, ...tee(P),
    ...get(STRIDE), I32_ADD, ...set(END),
    ...get(QUERY), ...set(Q),
    ...ACC.flatMap((acc) => [...V128_ZERO, ...set(acc)]),
    LOOP, VOID, // per 16 floats
    ...ACC.flatMap((acc, lane) => accumulate(acc, lane * 16)),
    ...get(P), ...i32(64), I32_ADD, ...set(P),
    ...get(Q), ...i32(64), I32_ADD, ...set(Q),
    ...get(P), ...get(END), I32_LT_U, BR_IF, 0,
    END_OP,
    // out[i] = horizontal sum of the accumulators
    ...get(OUT), ...get(I), ...i32(2), I32_SHL, I32_ADD,
    ...get(ACC[0]), ...get(ACC[1]), ...F32X4_ADD, ...get(ACC[2]), ...get(ACC[3]), ...F32X4_ADD,
    ...F32X4_ADD, ...tee(ACC[0]), ...LANE(0),
    ...get(ACC[0]), ...LANE(1), F32_ADD,
    ...get(ACC[0]), ...LANE(2), F32_ADD,
    ...get(ACC[0]), ...LANE(3), F32_ADD,
    ...F32_STORE,
    ...get(I), ...i32(1), I32_ADD, ...tee(I), ...get(COUNT), I32_LT_U, BR_IF, 0,
    END_OP,
    END_OP,
    END_OP,
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]), // type: (i32 × 6) → ()
    ...section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, 1]), // import env.memory
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...name("dot_rows"), 0x00, 0]), // export it
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

type DotRows = (
  vectors: number,
  strideBytes: number,
  query: number,
  rows: number,
  count: number,
  out: number,
) => void;

let kernelModule: WebAssembly.Module | undefined;

function kernel(memory: WebAssembly.Memory): DotRows {
  kernelModule ??= new WebAssembly.Module(kernelBytes());
  const instance = new WebAssembly.Instance(kernelModule, { env: { memory } });
  return instance.exports.dot_rows as DotRows;
}

const PAGE_BYTES = 65_536;
const MAX_PAGES = 65_536; // 4 GiB: the most a 32-bit WebAssembly memory can address

// ---------------------------------------------------------------------------------------------
// Persistence helpers

const FORMAT = "craveny-vectors-1";
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const OP_UPSERT = 1;
const OP_DELETE = 2;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), as zlib computes it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface Header {
  format: typeof FORMAT;
  collection: CollectionName;
  embedderId: string;
  dimension: number;
  generation: number;
  count: number;
  symbolCodes: number;
  symbols: string[];
  snapshotBytes: number;
  savedAt: string;
}

function parseHeader(text: string, path: string): Header {
  let value: Partial<Header>;
  try {
    value = JSON.parse(text);
  } catch {
    throw new VectorStoreError(`${path}: not valid JSON`);
  }
  if (
    value?.format !== FORMAT || typeof value.embedderId !== "string" ||
    !Number.isInteger(value.dimension) || !Number.isInteger(value.generation) ||
    !Number.isInteger(value.count) || !Array.isArray(value.symbols) ||
    !Number.isInteger(value.symbolCodes) || !Number.isInteger(value.snapshotBytes)
  ) {
    throw new VectorStoreError(`${path}: not a ${FORMAT} header`);
  }
  return value as Header;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

async function removeIfPresent(path: string): Promise<void> {
  await Deno.remove(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/** Grows a byte buffer as records are appended; `DataView` writes, little-endian. */
class Writer {
  bytes = new Uint8Array(1024);
  view = new DataView(this.bytes.buffer);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const bytes = new Uint8Array(size);
    bytes.set(this.bytes.subarray(0, this.length));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }
  u8(value: number): void {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }
  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
  }
  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }
  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }
  f32s(values: Float32Array): void {
    this.reserve(values.length * 4);
    for (let i = 0; i < values.length; i++) {
      this.view.setFloat32(this.length + i * 4, values[i], true);
    }
    this.length += values.length * 4;
  }
  text(value: string): void {
    const bytes = new TextEncoder().encode(value);
    this.u16(bytes.length);
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }
}

class Reader {
  offset = 0;
  constructor(readonly view: DataView) {}
  u8(): number {
    return this.view.getUint8(this.offset++);
  }
  u16(): number {
    const value = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return value;
  }
  u32(): number {
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }
  f64(): number {
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }
  f32s(length: number): Float32Array {
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++) values[i] = this.view.getFloat32(this.offset + i * 4, true);
    this.offset += length * 4;
    return values;
  }
  text(): string {
    const length = this.u16();
    const bytes = new Uint8Array(this.view.buffer, this.view.byteOffset + this.offset, length);
    this.offset += length;
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }
}

type JournalEntry =
  | { op: typeof OP_UPSERT; items: VectorItem[] }
  | { op: typeof OP_DELETE; ids: number[] };

/** One journal record: length, checksum, payload. Upserted vectors are already normalised. */
function encodeRecord(entry: JournalEntry): Uint8Array {
  const payload = new Writer();
  payload.u8(entry.op);
  if (entry.op === OP_UPSERT) {
    payload.u32(entry.items.length);
    for (const item of entry.items) {
      payload.f64(item.id);
      payload.f64(item.publishedAt);
      payload.u16(item.symbols.length);
      for (const symbol of item.symbols) payload.text(symbol);
      payload.f32s(item.vector);
    }
  } else {
    payload.u32(entry.ids.length);
    for (const id of entry.ids) payload.f64(id);
  }
  const bytes = payload.bytes.subarray(0, payload.length);
  const record = new Uint8Array(8 + bytes.length);
  const view = new DataView(record.buffer);
  view.setUint32(0, bytes.length, true);
  view.setUint32(4, crc32(bytes), true);
  record.set(bytes, 8);
  return record;
}

/** The complete records of a journal, and where the valid part ends (a torn tail is dropped). */
function decodeJournal(
  bytes: Uint8Array,
  dimension: number,
): { entries: JournalEntry[]; validBytes: number } {
  const entries: JournalEntry[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    const head = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
    const length = head.getUint32(0, true);
    if (offset + 8 + length > bytes.length) break;
    const payload = bytes.subarray(offset + 8, offset + 8 + length);
    if (crc32(payload) !== head.getUint32(4, true)) break;
    try {
      const reader = new Reader(new DataView(payload.buffer, payload.byteOffset, payload.length));
      const op = reader.u8();
      const count = reader.u32();
      if (op === OP_UPSERT) {
        const items: VectorItem[] = [];
        for (let i = 0; i < count; i++) {
          const id = reader.f64();
          const publishedAt = reader.f64();
          const symbols: string[] = [];
          for (let s = reader.u16(); s > 0; s--) symbols.push(reader.text());
          items.push({ id, publishedAt, symbols, vector: reader.f32s(dimension) });
        }
        entries.push({ op, items });
      } else if (op === OP_DELETE) {
        const ids: number[] = [];
        for (let i = 0; i < count; i++) ids.push(reader.f64());
        entries.push({ op, ids });
      } else break;
      if (reader.offset !== length) break;
    } catch {
      break; // a record that does not decode is treated like a torn one
    }
    offset += 8 + length;
  }
  return { entries, validBytes: offset };
}

/** `vector / |vector|` in float32 (computed in float64). */
function normalised(vector: Float32Array): Float32Array {
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i] * vector[i];
  const scale = 1 / Math.sqrt(squares);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] * scale;
  return out;
}

// ---------------------------------------------------------------------------------------------
// One physical collection in memory.

const MIN_CAPACITY = 1_024;
/** Symbol codes kept inline per row; longer lists (rare) also go to a side table. */
const SLOTS = 4;

export interface EmbeddedOptions {
  /** Prefix for physical collection names (tests use one per test). */
  namespace?: string;
  /** Journal size from which a new snapshot is written even if the snapshot is bigger. */
  journalLimitBytes?: number;
}

class EmbeddedCollection {
  readonly strideFloats: number;
  readonly strideBytes: number;
  capacity = 0;
  size = 0;
  ids = new Float64Array(0);
  published = new Float64Array(0);
  /** Per row, its first `SLOTS` symbol codes plus one (0: none): one flat scan while filtering. */
  slots = new Uint32Array(0);
  symbolCounts = new Uint16Array(0);
  /** The full code list of rows with more than `SLOTS` symbols. */
  extraSymbols = new Map<number, Uint32Array>();
  rowOf = new Map<number, number>();
  symbols: string[] = [];
  symbolCode = new Map<string, number>();
  memory!: WebAssembly.Memory;
  dot!: DotRows;
  #floats = new Float32Array(0);

  generation = 0;
  snapshotBytes = 0;
  journalBytes = 0;
  #journal: Deno.FsFile | null = null;
  #journalBroken: unknown = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly binding: CollectionBinding,
    readonly dir: string,
    readonly log: Logger,
    readonly journalLimitBytes: number,
  ) {
    this.strideFloats = Math.ceil(binding.dimension / STRIDE_FLOATS) * STRIDE_FLOATS;
    this.strideBytes = this.strideFloats * 4;
    this.#allocate(MIN_CAPACITY);
  }

  get headerPath(): string {
    return join(this.dir, `${this.binding.physical}.json`);
  }
  snapshotPath(generation = this.generation): string {
    return join(this.dir, `${this.binding.physical}.${generation}.bin`);
  }
  journalPath(generation = this.generation): string {
    return join(this.dir, `${this.binding.physical}.${generation}.log`);
  }

  /** Memory bytes for `capacity` rows plus the search scratch area (query, 3 × capacity u32/f32). */
  #bytesFor(capacity: number): number {
    return capacity * this.strideBytes + this.strideBytes + capacity * 12;
  }

  #pagesFor(capacity: number): number {
    const pages = Math.ceil(this.#bytesFor(capacity) / PAGE_BYTES);
    if (pages > MAX_PAGES) {
      throw new VectorStoreError(
        `${this.binding.name}: ${capacity} vectors of ${this.binding.dimension} dimensions exceed ` +
          `the embedded store's 4 GiB: use Milvus (MILVUS_ADDRESS)`,
      );
    }
    return pages;
  }

  /** A fresh slab for `capacity` rows holding the current rows. */
  #allocate(capacity: number): void {
    const memory = new WebAssembly.Memory({ initial: this.#pagesFor(capacity) });
    const floats = new Float32Array(memory.buffer);
    floats.set(this.#floats.subarray(0, this.size * this.strideFloats));
    const ids = new Float64Array(capacity);
    ids.set(this.ids.subarray(0, this.size));
    const published = new Float64Array(capacity);
    published.set(this.published.subarray(0, this.size));
    this.#growSymbols(capacity);
    this.memory = memory;
    this.dot = kernel(memory);
    this.#floats = floats;
    this.ids = ids;
    this.published = published;
    this.capacity = capacity;
  }

  /** Makes room for `extra` more rows, before anything is written: doubling, in place. */
  reserve(extra: number): void {
    while (this.size + extra > this.capacity) this.#grow();
  }

  /** Doubles capacity in place (the slab's memory grows; the vectors stay where they are). */
  #grow(): void {
    const capacity = this.capacity * 2;
    const pages = this.#pagesFor(capacity);
    const current = this.memory.buffer.byteLength / PAGE_BYTES;
    try {
      if (pages > current) this.memory.grow(pages - current);
    } catch (error) {
      throw new VectorStoreError(
        `${this.binding.name}: out of memory growing to ${capacity} vectors`,
        { cause: error },
      );
    }
    this.#floats = new Float32Array(this.memory.buffer);
    const ids = new Float64Array(capacity);
    ids.set(this.ids.subarray(0, this.size));
    const published = new Float64Array(capacity);
    published.set(this.published.subarray(0, this.size));
    this.#growSymbols(capacity);
    this.ids = ids;
    this.published = published;
    this.capacity = capacity;
  }

  #growSymbols(capacity: number): void {
    const slots = new Uint32Array(capacity * SLOTS);
    slots.set(this.slots.subarray(0, this.size * SLOTS));
    const counts = new Uint16Array(capacity);
    counts.set(this.symbolCounts.subarray(0, this.size));
    this.slots = slots;
    this.symbolCounts = counts;
  }

  #setCodes(row: number, codes: ArrayLike<number>): void {
    const base = row * SLOTS;
    for (let i = 0; i < SLOTS; i++) this.slots[base + i] = i < codes.length ? codes[i] + 1 : 0;
    this.symbolCounts[row] = codes.length;
    if (codes.length > SLOTS) this.extraSymbols.set(row, Uint32Array.from(codes));
    else this.extraSymbols.delete(row);
  }

  codesOf(row: number): Uint32Array {
    const count = this.symbolCounts[row];
    const extra = count > SLOTS ? this.extraSymbols.get(row) : undefined;
    if (extra) return extra;
    const codes = new Uint32Array(count);
    for (let i = 0; i < count; i++) codes[i] = this.slots[row * SLOTS + i] - 1;
    return codes;
  }

  #floatsView(): Float32Array {
    // Growing the memory detaches the old buffer.
    if (this.#floats.buffer !== this.memory.buffer) {
      this.#floats = new Float32Array(this.memory.buffer);
    }
    return this.#floats;
  }

  #code(symbol: string): number {
    let code = this.symbolCode.get(symbol);
    if (code === undefined) {
      code = this.symbols.length;
      this.symbols.push(symbol);
      this.symbolCode.set(symbol, code);
    }
    return code;
  }

  /** Writes one already-normalised item into its row (a new row for a new id). */
  apply(item: VectorItem): void {
    let row = this.rowOf.get(item.id);
    if (row === undefined) {
      if (this.size === this.capacity) this.#grow();
      row = this.size++;
      this.rowOf.set(item.id, row);
      this.ids[row] = item.id;
    }
    this.published[row] = item.publishedAt;
    this.#setCodes(row, Array.from(new Set(item.symbols), (symbol) => this.#code(symbol)));
    const floats = this.#floatsView();
    const at = row * this.strideFloats;
    floats.set(item.vector, at);
    // The padding must be zero (a grown slab may hold old scratch data there).
    floats.fill(0, at + item.vector.length, at + this.strideFloats);
  }

  /** Removes an id by moving the last row into its place. */
  remove(id: number): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    this.rowOf.delete(id);
    const last = --this.size;
    if (row !== last) {
      const floats = this.#floatsView();
      floats.copyWithin(
        row * this.strideFloats,
        last * this.strideFloats,
        (last + 1) * this.strideFloats,
      );
      this.ids[row] = this.ids[last];
      this.published[row] = this.published[last];
      this.slots.copyWithin(row * SLOTS, last * SLOTS, (last + 1) * SLOTS);
      this.symbolCounts[row] = this.symbolCounts[last];
      const extra = this.extraSymbols.get(last);
      if (extra) this.extraSymbols.set(row, extra);
      else this.extraSymbols.delete(row);
      this.rowOf.set(this.ids[row], row);
    }
    this.extraSymbols.delete(last);
  }

  search(query: Float32Array, options: SearchOptions): VectorHit[] {
    const n = this.size;
    if (n === 0) return [];
    // Wanted symbols as a lookup table by code + 1 (as in `slots`; entry 0, "no symbol", stays 0).
    let wanted: Uint8Array | undefined;
    if (options.symbols) {
      wanted = new Uint8Array(this.symbols.length + 1);
      let any = false;
      for (const symbol of options.symbols) {
        const code = this.symbolCode.get(symbol);
        if (code === undefined) continue;
        wanted[code + 1] = 1;
        any = true;
      }
      if (!any) return [];
    }
    const before = options.publishedBefore;
    const queryOffset = this.capacity * this.strideBytes;
    const passingOffset = queryOffset + this.strideBytes;
    const rowsOffset = passingOffset + this.capacity * 4;
    const outOffset = rowsOffset + this.capacity * 4;
    const floats = this.#floatsView();
    floats.fill(0, queryOffset / 4, queryOffset / 4 + this.strideFloats);
    floats.set(normalised(query), queryOffset / 4);

    // Filters first: only passing rows are scored.
    const passing = new Uint32Array(this.memory.buffer, passingOffset, n);
    let count = 0;
    const { published, slots, symbolCounts } = this;
    for (let row = 0; row < n; row++) {
      if (before !== undefined && !(published[row] < before)) continue;
      if (wanted) {
        const base = row * SLOTS;
        let match = (wanted[slots[base]] | wanted[slots[base + 1]] | wanted[slots[base + 2]] |
          wanted[slots[base + 3]]) === 1;
        if (!match && symbolCounts[row] > SLOTS) {
          const codes = this.extraSymbols.get(row) ?? [];
          for (let i = SLOTS; i < codes.length && !match; i++) match = wanted[codes[i] + 1] === 1;
        }
        if (!match) continue;
      }
      passing[count++] = row;
    }
    if (count === 0) return [];
    // Reading scattered rows costs more per row than streaming through all of them: when many
    // rows pass, score every row (in order) and select among the passing ones.
    const dense = count * 4 > n;
    if (dense) {
      const rows = new Uint32Array(this.memory.buffer, rowsOffset, n);
      for (let row = 0; row < n; row++) rows[row] = row;
      this.dot(0, this.strideBytes, queryOffset, rowsOffset, n, outOffset);
    } else {
      this.dot(0, this.strideBytes, queryOffset, passingOffset, count, outOffset);
    }
    const scores = new Float32Array(this.memory.buffer, outOffset, dense ? n : count);
    const k = Math.min(options.k, count);
    return topK(scores, passing.subarray(0, count), this.ids, k, dense).map((hit) => ({
      id: hit.id,
      score: Math.max(-1, Math.min(1, hit.score)),
      publishedAt: this.published[hit.row],
    }));
  }

  sortedIds(): Float64Array {
    return this.ids.slice(0, this.size).sort();
  }

  /** Runs mutations one at a time, in order: the journal's order is memory's order. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => {});
    return run;
  }

  async append(entry: JournalEntry): Promise<void> {
    if (this.#journalBroken) {
      throw new VectorStoreError(
        `${this.journalPath()}: an earlier write failed and could not be undone; reopen the store`,
        { cause: this.#journalBroken },
      );
    }
    const record = encodeRecord(entry);
    this.#journal ??= await Deno.open(this.journalPath(), { append: true, create: true });
    try {
      await writeAll(this.#journal, record);
    } catch (error) {
      // A half-written record would hide every later one at load: cut it off again.
      await this.#journal.truncate(this.journalBytes).catch((undo) => this.#journalBroken = undo);
      throw new VectorStoreError(`${this.journalPath()}: write failed`, { cause: error });
    }
    this.journalBytes += record.length;
  }

  shouldSnapshot(): boolean {
    return this.journalBytes > Math.max(this.journalLimitBytes, this.snapshotBytes);
  }

  /** Writes generation + 1 (snapshot, then header by rename), then drops the old files. */
  async snapshot(): Promise<void> {
    const previous = this.generation;
    const generation = previous + 1;
    const path = this.snapshotPath(generation);
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    let bytes = 0;
    try {
      const write = async (chunk: Uint8Array) => {
        await writeAll(file, chunk);
        bytes += chunk.length;
      };
      const n = this.size;
      await write(new Uint8Array(this.ids.buffer, 0, n * 8));
      await write(new Uint8Array(this.published.buffer, 0, n * 8));
      const counts = Uint32Array.from(this.symbolCounts.subarray(0, n));
      await write(new Uint8Array(counts.buffer));
      const codes = new Uint32Array(counts.reduce((sum, count) => sum + count, 0));
      for (let row = 0, at = 0; row < n; at += counts[row++]) codes.set(this.codesOf(row), at);
      await write(new Uint8Array(codes.buffer));
      const dimension = this.binding.dimension;
      const floats = this.#floatsView();
      if (dimension === this.strideFloats) {
        await write(new Uint8Array(floats.buffer, 0, n * dimension * 4));
      } else {
        const rowsPerChunk = Math.max(1, Math.floor((4 << 20) / (dimension * 4)));
        const chunk = new Float32Array(rowsPerChunk * dimension);
        for (let start = 0; start < n; start += rowsPerChunk) {
          const end = Math.min(n, start + rowsPerChunk);
          for (let row = start; row < end; row++) {
            const from = row * this.strideFloats;
            chunk.set(floats.subarray(from, from + dimension), (row - start) * dimension);
          }
          await write(new Uint8Array(chunk.buffer, 0, (end - start) * dimension * 4));
        }
      }
      await file.sync();
    } finally {
      file.close();
    }
    const header: Header = {
      format: FORMAT,
      collection: this.binding.name,
      embedderId: this.binding.embedderId,
      dimension: this.binding.dimension,
      generation,
      count: this.size,
      symbolCodes: this.symbolCounts.subarray(0, this.size).reduce((sum, count) => sum + count, 0),
      symbols: this.symbols,
      snapshotBytes: bytes,
      savedAt: new Date().toISOString(),
    };
    const temporary = `${this.headerPath}.tmp`;
    const headerFile = await Deno.open(temporary, { write: true, create: true, truncate: true });
    try {
      await writeAll(headerFile, new TextEncoder().encode(JSON.stringify(header)));
      await headerFile.sync();
    } finally {
      headerFile.close();
    }
    await Deno.rename(temporary, this.headerPath);
    // The new generation is live: the old snapshot and journal are garbage now.
    this.#journal?.close();
    this.#journal = null;
    this.generation = generation;
    this.snapshotBytes = bytes;
    this.journalBytes = 0;
    await removeIfPresent(this.snapshotPath(previous));
    await removeIfPresent(this.journalPath(previous));
    // Memory follows the vectors: after many deletes, move to a smaller slab.
    const fitting = Math.max(MIN_CAPACITY, 2 ** Math.ceil(Math.log2(Math.max(1, this.size))));
    if (this.capacity > fitting * 2) this.#allocate(fitting);
  }

  /** Loads the header's generation and replays its journal; cleans up leftovers. */
  async load(header: Header): Promise<void> {
    const { dimension } = this.binding;
    this.generation = header.generation;
    this.symbols = [...header.symbols];
    this.symbolCode = new Map(this.symbols.map((symbol, code) => [symbol, code]));
    const path = this.snapshotPath();
    const n = header.count;
    const expected = n * 20 + header.symbolCodes * 4 + n * dimension * 4;
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || n !== 0) {
        throw new VectorStoreError(`${path}: cannot read the snapshot`, { cause: error });
      }
      bytes = new Uint8Array(0);
    }
    if (bytes.length !== expected || header.snapshotBytes !== expected) {
      throw new VectorStoreError(
        `${path}: snapshot is ${bytes.length} bytes, the header promises ${expected}: the files ` +
          `were changed outside Craveny (delete ${this.headerPath} to rebuild from Postgres)`,
      );
    }
    const ids = new Float64Array(bytes.buffer, bytes.byteOffset, n);
    const published = new Float64Array(bytes.buffer, bytes.byteOffset + n * 8, n);
    const counts = new Uint32Array(bytes.buffer, bytes.byteOffset + n * 16, n);
    const codesAt = bytes.byteOffset + n * 20;
    const codes = new Uint32Array(bytes.buffer, codesAt, header.symbolCodes);
    const vectors = new Float32Array(
      bytes.buffer,
      codesAt + header.symbolCodes * 4,
      n * dimension,
    );
    let capacity = MIN_CAPACITY;
    while (capacity < n) capacity *= 2;
    this.size = 0;
    this.#floats = new Float32Array(0);
    this.#allocate(capacity);
    const floats = this.#floatsView();
    for (let row = 0, at = 0; row < n; row++) {
      floats.set(vectors.subarray(row * dimension, (row + 1) * dimension), row * this.strideFloats);
      this.ids[row] = ids[row];
      this.published[row] = published[row];
      this.#setCodes(row, codes.subarray(at, at + counts[row]));
      at += counts[row];
      this.rowOf.set(ids[row], row);
    }
    this.size = n;
    this.snapshotBytes = expected;

    const journalPath = this.journalPath();
    let journal: Uint8Array;
    try {
      journal = await Deno.readFile(journalPath);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      journal = new Uint8Array(0);
    }
    const { entries, validBytes } = decodeJournal(journal, dimension);
    for (const entry of entries) {
      if (entry.op === OP_UPSERT) { for (const item of entry.items) this.apply(item); }
      else for (const id of entry.ids) this.remove(id);
    }
    if (validBytes < journal.length) {
      this.log.warn("vector journal had a torn tail (an interrupted write); dropped it", {
        path: journalPath,
        droppedBytes: journal.length - validBytes,
      });
      await Deno.truncate(journalPath, validBytes);
    }
    this.journalBytes = validBytes;
    await this.removeLeftovers();
  }

  /** Files of this collection from generations other than the current one. */
  async removeLeftovers(): Promise<void> {
    const pattern = new RegExp(
      `^${this.binding.physical}\\.(\\d+)\\.(bin|log)$|^${this.binding.physical}\\.json\\.tmp$`,
    );
    for await (const entry of Deno.readDir(this.dir)) {
      const match = pattern.exec(entry.name);
      if (match && Number(match[1]) !== this.generation) {
        await removeIfPresent(join(this.dir, entry.name));
      }
    }
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      if (this.journalBytes > 0) await this.snapshot();
      this.#journal?.close();
      this.#journal = null;
    });
  }
}

interface Hit {
  id: number;
  score: number;
  row: number;
}

/**
 * The `k` best `rows` (ties: smaller id first) with a bounded min-heap whose root is the worst hit
 * kept so far. A row's score is `scores[row]` when `dense`, else `scores[i]` for `rows[i]`.
 */
function topK(
  scores: Float32Array,
  rows: Uint32Array,
  ids: Float64Array,
  k: number,
  dense: boolean,
): Hit[] {
  const heapScore = new Float64Array(k);
  const heapId = new Float64Array(k);
  const heapRow = new Uint32Array(k);
  let size = 0;
  // a is worse than b: lower score, or the same score and a larger id.
  const worse = (sa: number, ia: number, sb: number, ib: number) =>
    sa < sb || (sa === sb && ia > ib);
  const place = (at: number, score: number, id: number, row: number) => {
    heapScore[at] = score;
    heapId[at] = id;
    heapRow[at] = row;
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const score = dense ? scores[row] : scores[i];
    const id = ids[row];
    if (size < k) {
      // Sift up.
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(score, id, heapScore[parent], heapId[parent])) break;
        place(at, heapScore[parent], heapId[parent], heapRow[parent]);
        at = parent;
      }
      place(at, score, id, row);
    } else if (worse(heapScore[0], heapId[0], score, id)) {
      // Replace the root and sift down.
      let at = 0;
      while (true) {
        const left = 2 * at + 1;
        if (left >= size) break;
        const right = left + 1;
        const child =
          right < size && worse(heapScore[right], heapId[right], heapScore[left], heapId[left])
            ? right
            : left;
        if (!worse(heapScore[child], heapId[child], score, id)) break;
        place(at, heapScore[child], heapId[child], heapRow[child]);
        at = child;
      }
      place(at, score, id, row);
    }
  }
  const hits: Hit[] = [];
  for (let i = 0; i < size; i++) hits.push({ id: heapId[i], score: heapScore[i], row: heapRow[i] });
  return hits.sort((a, b) => b.score - a.score || a.id - b.id);
}

// ---------------------------------------------------------------------------------------------
// The store.

export class EmbeddedVectorStore implements VectorStore {
  readonly kind = "embedded";
  readonly #bindings = new Map<CollectionName, EmbeddedCollection>();
  #closed = false;
  /** ensureCollection calls run one at a time: two loads of one collection would clash. */
  #ensuring: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly log: Logger,
    readonly namespace: string,
    readonly journalLimitBytes: number,
    readonly lock: LockFile,
  ) {}

  /** Opens (creating) `<dataDir>/vectors/` and locks it against a second process. */
  static async open(
    dataDir: string,
    log: Logger,
    options: EmbeddedOptions = {},
  ): Promise<EmbeddedVectorStore> {
    const namespace = checkNamespace(options.namespace ?? "");
    if (!LITTLE_ENDIAN) {
      throw new VectorStoreStartError("the embedded vector store needs a little-endian machine");
    }
    if (!WebAssembly.validate(kernelBytes())) {
      throw new VectorStoreStartError("this runtime lacks WebAssembly SIMD, needed for vectors");
    }
    const dir = join(dataDir, "vectors");
    let lock: LockFile;
    try {
      await Deno.mkdir(dir, { recursive: true });
      lock = await acquireLockFile(join(dir, ".lock"));
    } catch (error) {
      const reason = error instanceof LockHeldError
        ? error.message
        : `${dir}: ${error instanceof Error ? error.message : String(error)}`;
      throw new VectorStoreStartError(`embedded vector store: ${reason}`, { cause: error });
    }
    return new EmbeddedVectorStore(
      dir,
      log.child({ component: "vectors" }),
      namespace,
      options.journalLimitBytes ?? 64 << 20,
      lock,
    );
  }

  #open(): void {
    if (this.#closed) throw new VectorStoreError("the vector store is closed");
  }

  #bound(name: CollectionName): EmbeddedCollection {
    this.#open();
    const collection = this.#bindings.get(name);
    if (!collection) throw notEnsured(name);
    return collection;
  }

  ensureCollection(name: CollectionName, dimension: number, embedderId: string): Promise<void> {
    const run = this.#ensuring.then(() => this.#ensure(name, dimension, embedderId));
    this.#ensuring = run.catch(() => {});
    return run;
  }

  async #ensure(name: CollectionName, dimension: number, embedderId: string): Promise<void> {
    this.#open();
    checkCollection(name, dimension, embedderId);
    const physical = physicalCollectionName(this.namespace, name, embedderId);
    const current = this.#bindings.get(name);
    if (current?.binding.physical === physical) {
      if (current.binding.dimension !== dimension) {
        throw dimensionMismatch(current.binding, current.binding.dimension, dimension);
      }
      return;
    }
    const binding: CollectionBinding = { name, physical, dimension, embedderId };
    const headerPath = join(this.dir, `${physical}.json`);
    let header: Header | undefined;
    try {
      header = parseHeader(await Deno.readTextFile(headerPath), headerPath);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (header && header.embedderId !== embedderId) {
      throw new VectorStoreError(
        `${headerPath} belongs to embedder ${JSON.stringify(header.embedderId)}, not ` +
          `${JSON.stringify(embedderId)} (their collection names collide)`,
      );
    }
    if (header && header.dimension !== dimension) {
      throw dimensionMismatch(binding, header.dimension, dimension);
    }
    const collection = new EmbeddedCollection(binding, this.dir, this.log, this.journalLimitBytes);
    if (header) await collection.load(header);
    else await collection.serial(() => collection.snapshot()); // an empty generation 1 on disk
    // The previous embedder's collection stays on disk but leaves memory.
    if (current) await current.close();
    this.#bindings.set(name, collection);
    this.log.debug("vector collection open", { collection: physical, count: collection.size });
  }

  async upsert(name: CollectionName, items: VectorItem[]): Promise<void> {
    const collection = this.#bound(name);
    const normalisedItems = checkItems(collection.binding, items).map((item) => ({
      id: item.id,
      publishedAt: item.publishedAt,
      symbols: [...item.symbols],
      vector: normalised(item.vector),
    }));
    if (normalisedItems.length === 0) return;
    await collection.serial(async () => {
      collection.reserve(normalisedItems.filter((item) => !collection.rowOf.has(item.id)).length);
      await collection.append({ op: OP_UPSERT, items: normalisedItems });
      for (const item of normalisedItems) collection.apply(item);
      if (collection.shouldSnapshot()) await collection.snapshot();
    });
  }

  async delete(name: CollectionName, ids: number[]): Promise<void> {
    const collection = this.#bound(name);
    const present = checkIds(collection.binding, ids);
    if (present.length === 0) return;
    await collection.serial(async () => {
      const known = present.filter((id) => collection.rowOf.has(id));
      if (known.length === 0) return;
      await collection.append({ op: OP_DELETE, ids: known });
      for (const id of known) collection.remove(id);
      if (collection.shouldSnapshot()) await collection.snapshot();
    });
  }

  search(name: CollectionName, vector: Float32Array, options: SearchOptions): Promise<VectorHit[]> {
    try {
      const collection = this.#bound(name);
      checkSearch(collection.binding, vector, options);
      return Promise.resolve(collection.search(vector, options).sort(compareHits));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  count(name: CollectionName): Promise<number> {
    try {
      return Promise.resolve(this.#bound(name).size);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async *ids(name: CollectionName, batchSize = DEFAULT_ID_BATCH): AsyncIterable<number[]> {
    checkBatchSize(batchSize);
    const sorted = this.#bound(name).sortedIds();
    for (let start = 0; start < sorted.length; start += batchSize) {
      yield Array.from(sorted.subarray(start, start + batchSize));
    }
  }

  ping(): Promise<void> {
    try {
      this.#open();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      for (const collection of this.#bindings.values()) await collection.close();
    } finally {
      this.#bindings.clear();
      await this.lock.release();
    }
  }
}

/** Opens the embedded store under `<dataDir>/vectors/`. */
export function openEmbeddedVectorStore(
  dataDir: string,
  log: Logger,
  options: EmbeddedOptions = {},
): Promise<EmbeddedVectorStore> {
  return EmbeddedVectorStore.open(dataDir, log, options);
}
