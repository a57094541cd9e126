// The raw archive: every fetched payload, gzip-compressed, in a file named by the sha-256 of its
// bytes under the archive directory (`<dataDir>/raw`), indexed by a `raw_payload` row. Payloads are
// archived before they are parsed, so a parser fix can re-parse history.
import { dirname, join } from "node:path";
import type { Sql } from "postgres";
import type { FetchedPayload } from "../net/fetched.ts";
import { sha256Hex } from "../crypto/sha256.ts";
import { archiveKey, isSha256Hex } from "./content_address.ts";
import { gunzip, gzip } from "./gzip.ts";
import { insertRawPayload, type PayloadKind, type RawPayloadRow } from "./store.ts";

/** The archive directory for a data directory. */
export function archiveDirOf(dataDir: string): string {
  return join(dataDir, "raw");
}

/** An archived file is missing, or its content no longer matches its name. */
export class ArchiveError extends Error {
  constructor(
    readonly sha256: string,
    readonly reason: "missing" | "corrupt",
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ArchiveError";
  }
}

export interface ArchiveMeta {
  kind: PayloadKind;
  /** The stock a per-stock fetch was for. */
  stockId?: number | null;
}

export interface Archived {
  /** The raw_payload row. */
  id: number;
  sha256: string;
  /** Where the bytes sit inside the archive directory (`<aa>/<sha256>.gz`): news.raw_ref. */
  ref: string;
  /** False when identical bytes from the same source and URL had been archived already. */
  isNew: boolean;
}

/**
 * Stores `payload` (file first, then its row: a kill in between leaves only an unindexed file,
 * which the next run of the same payload adopts). Idempotent.
 */
export async function archivePayload(
  sql: Sql,
  archiveDir: string,
  payload: FetchedPayload,
  meta: ArchiveMeta,
): Promise<Archived> {
  const sha256 = await sha256Hex(payload.body);
  const ref = archiveKey(sha256);
  await writeOnce(join(archiveDir, ref), payload.body);
  const { id, isNew } = await insertRawPayload(sql, {
    sha256,
    source: payload.source,
    kind: meta.kind,
    url: payload.url,
    stockId: meta.stockId ?? null,
    contentType: payload.contentType,
    bytes: payload.body.byteLength,
    fetchedAt: payload.fetchedAt,
  });
  return { id, sha256, ref, isNew };
}

/** The original bytes of an archived payload, checked against their hash. */
export async function readArchived(archiveDir: string, sha256: string): Promise<Uint8Array> {
  if (!isSha256Hex(sha256)) throw new RangeError(`not a sha-256 hex digest: ${sha256}`);
  const path = join(archiveDir, archiveKey(sha256));
  let compressed: Uint8Array;
  try {
    compressed = await Deno.readFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new ArchiveError(sha256, "missing", `raw archive: ${path} is missing`, { cause: error });
  }
  let bytes: Uint8Array;
  try {
    bytes = await gunzip(compressed);
  } catch (error) {
    throw new ArchiveError(sha256, "corrupt", `raw archive: ${path} is not valid gzip`, {
      cause: error,
    });
  }
  const actual = await sha256Hex(bytes);
  if (actual !== sha256) {
    throw new ArchiveError(
      sha256,
      "corrupt",
      `raw archive: ${path} is corrupt: its content hashes to ${actual}`,
    );
  }
  return bytes;
}

/** An archived payload as its source delivered it: what a parser takes, for re-parsing. */
export async function loadArchivedPayload(
  archiveDir: string,
  row: RawPayloadRow,
): Promise<FetchedPayload> {
  return {
    source: row.source,
    url: row.url,
    contentType: row.contentType,
    body: await readArchived(archiveDir, row.sha256),
    fetchedAt: row.fetchedAt,
  };
}

/**
 * Writes `bytes` gzipped to `path` unless it exists: into a temporary file in the same directory,
 * flushed to disk, then renamed, so the final name only ever holds a complete file. A kill can
 * leave a `*.tmp` file behind, never a half-written archive file.
 */
async function writeOnce(path: string, bytes: Uint8Array): Promise<void> {
  if (await exists(path)) return;
  await Deno.mkdir(dirname(path), { recursive: true });
  const compressed = await gzip(bytes);
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    {
      using file = await Deno.open(temp, { write: true, createNew: true });
      for (let written = 0; written < compressed.byteLength;) {
        written += await file.write(compressed.subarray(written));
      }
      await file.syncData();
    }
    // Two processes archiving the same bytes both rename: same content, last one wins.
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
