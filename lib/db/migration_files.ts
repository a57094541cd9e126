// Migration files: `NNNN_name.sql`, applied in number order, each exactly once.
import { sha256Hex } from "../crypto/sha256.ts";
import { fileURLToPath } from "node:url";
import { MigrationError } from "./errors.ts";

export interface MigrationFile {
  /** The number prefix: 1 for `0001_initial.sql`. */
  version: number;
  /** The part after the number: `initial`. */
  name: string;
  /** The whole file name: `0001_initial.sql`. */
  file: string;
}

export interface Migration extends MigrationFile {
  sql: string;
  /** sha-256 of the file's text with LF line endings, lowercase hex. */
  checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Validates and orders the migration files among `names` (other files, e.g. a README, are
 * ignored). Throws `MigrationError` for a badly named `.sql` file or a number used twice.
 */
export function parseMigrationFileNames(names: readonly string[]): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (const file of names) {
    if (!file.endsWith(".sql")) continue;
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new MigrationError(
        `invalid migration file name ${file}: expected NNNN_name.sql ` +
          "(four digits, then lowercase letters, digits and underscores)",
        file,
      );
    }
    files.push({ version: Number(match[1]), name: match[2], file });
  }
  files.sort((a, b) => a.version - b.version || a.file.localeCompare(b.file));
  for (let index = 1; index < files.length; index++) {
    const [before, after] = [files[index - 1], files[index]];
    if (before.version === after.version) {
      throw new MigrationError(
        `duplicate migration number ${after.file.slice(0, 4)}: ${before.file} and ${after.file}`,
        after.file,
      );
    }
  }
  return files;
}

/** Reads every migration in `dir`, in order, with its checksum. */
export async function readMigrations(dir: string | URL): Promise<Migration[]> {
  const path = (dir instanceof URL ? fileURLToPath(dir) : dir).replace(/\/+$/, "");
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) if (entry.isFile) names.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new MigrationError(`migrations directory ${path} not found`);
    }
    throw error;
  }
  return await Promise.all(
    parseMigrationFileNames(names).map(async (file) => {
      // Line endings normalised so a CRLF checkout does not look like a changed migration.
      const sql = (await Deno.readTextFile(`${path}/${file.file}`)).replace(/\r\n/g, "\n");
      return { ...file, sql, checksum: await sha256Hex(sql) };
    }),
  );
}
