// The application's tables as the database's own catalog describes them, so a backup follows the
// schema the migrations built (new tables and columns included) without a hand-kept list.
import type { ISql } from "postgres";
import { BackupError } from "./errors.ts";

export interface TableColumn {
  name: string;
  /** `format_type` of the column: what a text field is cast to when loaded. */
  type: string;
  /** Text-like: sorted with the C collation so the row order is the same on every server. */
  collatable: boolean;
  /** The identity (or serial) sequence feeding it, if any. */
  sequence: string | null;
}

export interface TableInfo {
  name: string;
  /** Stored columns in table order (generated columns are recomputed, not stored). */
  columns: TableColumn[];
  primaryKey: string[];
  /** Other application tables this one has foreign keys to. */
  references: string[];
}

/** The migrations' bookkeeping: restored by running the migrations, not copied. */
const SCHEMA_MIGRATION = "schema_migration";

/** A quoted identifier for SQL built from catalog names. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `public.name`, quoted. */
export function qualified(table: string): string {
  return `public.${quoteIdent(table)}`;
}

/**
 * Orders tables so that each comes after every table it references (a load never breaks a
 * foreign key); ties by name, so the order is stable. A cycle of references can't be loaded
 * table by table and is refused.
 */
export function foreignKeyOrder<T extends { name: string; references: string[] }>(
  tables: readonly T[],
): T[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: T[] = [];
  const placed = new Set<string>();
  let pending = [...tables].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  while (pending.length) {
    const ready = pending.filter((table) =>
      table.references.every((name) => name === table.name || placed.has(name) || !byName.has(name))
    );
    if (!ready.length) {
      throw new BackupError(
        `tables ${pending.map((table) => table.name).join(", ")} reference each other in a ` +
          "cycle; a table-by-table backup can't order them",
      );
    }
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
    pending = pending.filter((table) => !placed.has(table.name));
  }
  return ordered;
}

interface ColumnRow {
  table: string;
  column: string;
  type: string;
  collatable: boolean;
  sequence: string | null;
}

/** The application's tables (schema `public`, without schema_migration) in load order. */
export async function readCatalog(sql: ISql): Promise<TableInfo[]> {
  const columns = await sql<ColumnRow[]>`
    select c.relname as table, a.attname as column,
      format_type(a.atttypid, a.atttypmod) as type,
      a.attcollation <> 0 as collatable,
      pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) as sequence
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = 'public' and c.relkind = 'r' and c.relname <> ${SCHEMA_MIGRATION}
      and a.attgenerated = ''
    order by c.relname, a.attnum`;
  const keys = await sql<{ table: string; column: string }[]>`
    select c.relname as table, a.attname as column
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral unnest(i.indkey) with ordinality as k(attnum, position)
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where i.indisprimary and n.nspname = 'public'
    order by c.relname, k.position`;
  const references = await sql<{ table: string; referenced: string }[]>`
    select distinct c.relname as table, r.relname as referenced
    from pg_constraint f
    join pg_class c on c.oid = f.conrelid
    join pg_class r on r.oid = f.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where f.contype = 'f' and n.nspname = 'public'`;
  const tables = new Map<string, TableInfo>();
  for (const row of columns) {
    let table = tables.get(row.table);
    if (!table) {
      tables.set(
        row.table,
        table = { name: row.table, columns: [], primaryKey: [], references: [] },
      );
    }
    table.columns.push({
      name: row.column,
      type: row.type,
      collatable: row.collatable,
      sequence: row.sequence,
    });
  }
  for (const key of keys) tables.get(key.table)?.primaryKey.push(key.column);
  for (const reference of references) {
    tables.get(reference.table)?.references.push(reference.referenced);
  }
  return foreignKeyOrder([...tables.values()]);
}

/** Whether the database has the migrations' table, i.e. a schema at all. */
export async function hasSchema(sql: ISql): Promise<boolean> {
  const [{ present }] = await sql<{ present: boolean }[]>`
    select to_regclass(${`public.${SCHEMA_MIGRATION}`}) is not null as present`;
  return present;
}

/** The migrations applied to the database, oldest first (empty without a schema). */
export async function appliedMigrations(
  sql: ISql,
): Promise<{ version: number; name: string; checksum: string }[]> {
  if (!(await hasSchema(sql))) return [];
  return await sql<{ version: number; name: string; checksum: string }[]>`
    select version, name, checksum from schema_migration order by version`;
}

/** The first table among `tables` that holds a row, or undefined when all are empty. */
export async function firstNonEmptyTable(
  sql: ISql,
  tables: readonly TableInfo[],
): Promise<string | undefined> {
  for (const table of tables) {
    const [{ found }] = await sql.unsafe<{ found: boolean }[]>(
      `select exists (select from ${qualified(table.name)}) as found`,
    );
    if (found) return table.name;
  }
  return undefined;
}
