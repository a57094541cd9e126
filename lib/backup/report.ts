// What `deno task backup` and `deno task restore` print when they succeed.
import { formatCount } from "../imports/progress.ts";
import type { BackupResult } from "./create.ts";
import { schemaVersion } from "./header.ts";
import type { RestoreResult } from "./restore.ts";

/** 1536 → "1.5 KiB". */
export function formatSize(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function backupReport(result: BackupResult): string {
  return [
    `backup written: ${result.path}`,
    `${formatSize(result.bytes)}, ${formatCount(result.rows)} rows in ${result.tables} tables, ` +
    `${seconds(result.ms)}`,
    ...result.deleted.map((path) => `deleted old backup ${path}`),
  ].join("\n");
}

/**
 * The vector store is not in a backup: it is derived from Postgres (news rows and the embedder's
 * marks), so it is rebuilt rather than restored, whichever vector store the restored app uses.
 */
const VECTORS_FOLLOW_UP = "next: rebuild the vectors from Postgres with " +
  "`deno task vectors reconcile` (re-queues the news whose vector is missing), then " +
  "`deno task job embed` (or wait for its schedule); `deno task job embed --rebuild` embeds " +
  "everything again instead";

export function restoreReport(path: string, result: RestoreResult): string {
  const version = schemaVersion(result.header);
  return [
    `restored ${path}: ${formatCount(result.rows)} rows in ${result.tables} tables at schema ` +
    `version ${version}, backed up ${result.header.createdAt}, ${seconds(result.ms)}`,
    ...result.migratedForward.map((file) => `migrated forward: applied ${file}`),
    VECTORS_FOLLOW_UP,
  ].join("\n");
}
