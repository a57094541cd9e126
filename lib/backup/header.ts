// The header of a backup file: the first line of its decompressed text, as JSON. It says what the
// file holds and how to check it before anything is written to a database.
import { BackupError } from "./errors.ts";

export const BACKUP_FORMAT = "craveny-backup";
/** Bumped when a reader of the previous version could not read the file correctly. */
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupMigration {
  version: number;
  name: string;
  /** sha-256 of the migration file, as recorded in schema_migration. */
  checksum: string;
}

export interface BackupSequence {
  column: string;
  /** The last value the identity (or serial) sequence handed out; null if it never did. */
  lastValue: number | null;
}

export interface BackupTable {
  name: string;
  /** In the order of each data line's fields. */
  columns: string[];
  rows: number;
  /** sha-256 (hex) of the table's data lines exactly as stored, each with its "\n". */
  sha256: string;
  sequences: BackupSequence[];
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_FORMAT_VERSION;
  createdAt: string;
  source: { kind: "postgres" | "embedded"; serverVersion: string };
  /** schema_migration at the time of the backup: the schema the data fits. */
  migrations: BackupMigration[];
  /** In load order: every table after the tables it references. */
  tables: BackupTable[];
}

/** The schema version a backup's data fits: its highest migration. */
export function schemaVersion(header: Pick<BackupHeader, "migrations">): number {
  return header.migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isHash(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

function isName(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 63;
}

function migrationProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "a migration is not an object";
  if (!Number.isSafeInteger(value.version) || (value.version as number) <= 0) {
    return "a migration has no valid version";
  }
  if (typeof value.name !== "string" || !isHash(value.checksum)) {
    return `migration ${value.version} has no valid name or checksum`;
  }
  return undefined;
}

function tableProblem(value: unknown): string | undefined {
  if (!isObject(value) || !isName(value.name)) return "a table has no valid name";
  const { name, columns, rows, sha256, sequences } = value;
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every(isName)) {
    return `table ${name} has no valid column list`;
  }
  if (!isCount(rows) || !isHash(sha256)) return `table ${name} has no valid row count or checksum`;
  const validSequence = (sequence: unknown) =>
    isObject(sequence) && columns.includes(sequence.column as string) &&
    (sequence.lastValue === null || Number.isSafeInteger(sequence.lastValue));
  if (!Array.isArray(sequences) || !sequences.every(validSequence)) {
    return `table ${name} has an invalid sequence list`;
  }
  return undefined;
}

function headerProblem(value: Json): string | undefined {
  const { createdAt, source, migrations, tables } = value;
  if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt))) {
    return "createdAt is not a date";
  }
  if (!isObject(source) || !(source.kind === "postgres" || source.kind === "embedded")) {
    return "source is invalid";
  }
  if (!Array.isArray(migrations) || migrations.length === 0) return "it lists no migrations";
  if (!Array.isArray(tables) || tables.length === 0) return "it lists no tables";
  const problem = migrations.map(migrationProblem).find(Boolean) ??
    tables.map(tableProblem).find(Boolean);
  if (problem) return problem;
  const names = tables.map((table: BackupTable) => table.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  return repeated ? `table ${repeated} appears twice` : undefined;
}

/**
 * Parses and validates a header line; throws `BackupError` naming what is wrong (not a backup, a
 * format version this code does not read, a malformed field).
 */
export function parseHeader(line: string, file: string): BackupHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  if (!isObject(value) || value.format !== BACKUP_FORMAT) {
    throw new BackupError(`${file} is not a Craveny backup (its header is missing)`);
  }
  if (value.version !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      `${file} has backup format version ${JSON.stringify(value.version)}, but this code reads ` +
        `version ${BACKUP_FORMAT_VERSION} only: restore it with the Craveny release that wrote it`,
    );
  }
  const problem = headerProblem(value);
  if (problem) throw new BackupError(`${file} has an invalid header: ${problem}`);
  return value as unknown as BackupHeader;
}
