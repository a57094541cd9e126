// Backup file names and retention: `craveny-<UTC timestamp>.backup`, whose names sort in time
// order; after each backup the newest BACKUP_KEEP stay and older ones go. Other files in the
// directory (a copy the operator renamed, an unfinished backup's temporary file) are never touched.
import { join } from "node:path";

const NAME = /^craveny-\d{8}T\d{6}\.\d{3}Z\.backup$/;

/** `craveny-20250630T230000.123Z.backup` for that instant. */
export function backupFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, ""); // 20250630T230000.123Z
  return `craveny-${stamp}.backup`;
}

export function isBackupFileName(name: string): boolean {
  return NAME.test(name);
}

/** The backups among `names` beyond the newest `keep`, oldest last. */
export function backupsBeyond(names: readonly string[], keep: number): string[] {
  return names.filter(isBackupFileName).sort().reverse().slice(keep);
}

/** Deletes the backups in `dir` beyond the newest `keep`; returns the deleted paths. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
  const deleted: string[] = [];
  for (const name of backupsBeyond(names, keep)) {
    const path = join(dir, name);
    await Deno.remove(path);
    deleted.push(path);
  }
  return deleted;
}
