// Foreign keys and plain indexes are set aside while a restore loads and put back afterwards, in
// the same transaction, as pg_restore does: building an index once and checking a foreign key
// with one query beats maintaining and checking them row by row (it halved the load of 100k
// predictions into Postgres 15).
// Primary keys and unique constraints stay: the load and its read-back rely on them.
import type { ISql } from "postgres";

interface Definition {
  /** The table, qualified and quoted. */
  table: string;
  /** The constraint or index name, quoted (the index qualified). */
  name: string;
  definition: string;
}

export interface SetAside {
  /** Recreates the indexes, then the foreign keys (which checks every row against them). */
  restore(): Promise<void>;
}

/** Drops the foreign keys and the indexes no constraint uses among schema public's tables. */
export async function setAsideKeysAndIndexes(tx: ISql): Promise<SetAside> {
  const foreignKeys = await tx<Definition[]>`
    select format('%I.%I', n.nspname, t.relname) as table, format('%I', c.conname) as name,
      pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_namespace n on n.oid = t.relnamespace
    where c.contype = 'f' and n.nspname = 'public'
    order by 1, 2`;
  // An index a constraint owns or a foreign key points at stays.
  const indexes = await tx<Definition[]>`
    select format('%I.%I', n.nspname, t.relname) as table,
      format('%I.%I', n.nspname, i.relname) as name,
      pg_get_indexdef(x.indexrelid) as definition
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public'
      and not exists (select from pg_constraint c where c.conindid = x.indexrelid)
    order by 1, 2`;
  for (const key of foreignKeys) {
    await tx.unsafe(`alter table ${key.table} drop constraint ${key.name}`);
  }
  for (const index of indexes) await tx.unsafe(`drop index ${index.name}`);
  return {
    async restore() {
      for (const index of indexes) await tx.unsafe(index.definition);
      for (const key of foreignKeys) {
        await tx.unsafe(`alter table ${key.table} add constraint ${key.name} ${key.definition}`);
      }
    },
  };
}
