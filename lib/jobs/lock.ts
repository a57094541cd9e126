// The lock a job's run holds, across every process that may run the job. Which store holds it
// follows from the adapters chosen at start-up, here and nowhere else:
// - Redis (REDIS_URL): the cache lock — SET NX PX with an owner token, released and extended by
//   compare-and-delete / compare-and-expire scripts; it expires if the process dies.
// - Postgres without Redis: the in-process cache lock only excludes this process, so a Postgres
//   advisory lock is taken too, in a transaction kept open while the run lasts (one pooled
//   connection per running job). Postgres releases it when the process's connection goes away
//   (crash, kill), so it needs no expiry.
// - embedded (PGlite): the in-process cache lock; the data directory's lock file keeps every
//   other process out of the database.
import type { Sql, TransactionSql } from "postgres";
import type { Lock } from "../cache/port.ts";
import type { AppContext } from "../context.ts";
import type { JobName } from "./job.ts";

/** The lock a job's runs hold; tasks that must not overlap a run take it too (acquireJobLock). */
export function jobLockName(name: JobName): string {
  return `job:${name}`;
}

/**
 * Takes job `name`'s lock for `ttlMs` (renewed by `extend`), or null when another run holds it.
 * Rejects when the lock's store can't be reached: a job must never run unguarded.
 */
export async function acquireJobLock(
  app: Pick<AppContext, "db" | "cache">,
  name: JobName,
  ttlMs: number,
): Promise<Lock | null> {
  const lockName = jobLockName(name);
  const local = await app.cache.acquireLock(lockName, ttlMs);
  if (!local || !(app.db.kind === "postgres" && app.cache.kind === "memory")) return local;
  try {
    const shared = await acquireAdvisoryLock(app.db.sql, lockName);
    if (shared) return bothLocks(local, shared);
  } catch (error) {
    await local.release();
    throw error;
  }
  await local.release();
  return null;
}

/** Both held together: extended and released together. */
function bothLocks(local: Lock, shared: Lock): Lock {
  return {
    name: local.name,
    token: local.token,
    extend: async (ttlMs) => (await shared.extend(ttlMs)) && (await local.extend(ttlMs)),
    release: async () => {
      const released = await shared.release();
      return (await local.release()) && released;
    },
  };
}

/**
 * A transaction-level advisory lock, held by keeping a transaction open on a pooled connection
 * until release (commit). postgres.js rejects the transaction when its connection closes: the
 * lock died with the session, and nothing may be sent on that connection again (postgres.js
 * 3.4 writes to the dead socket and throws outside any promise), so a lost lock is only marked.
 */
async function acquireAdvisoryLock(sql: Sql, name: string): Promise<Lock | null> {
  const key = `craveny:${name}`;
  const taken = Promise.withResolvers<TransactionSql | null>();
  const released = Promise.withResolvers<void>();
  let alive = true;
  const holding = sql.begin(async (tx) => {
    const [row] = await tx<{ locked: boolean }[]>`
      select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as locked`;
    taken.resolve(row.locked ? tx : null);
    if (row.locked) await released.promise;
  }).then(
    () => void (alive = false),
    (error) => {
      alive = false;
      taken.reject(error);
    },
  );
  const tx = await taken.promise;
  if (!tx) {
    await holding;
    return null;
  }
  return {
    name,
    token: crypto.randomUUID(),
    extend: async () => {
      if (!alive) return false;
      try {
        await tx`select 1`;
        return alive;
      } catch {
        return false;
      }
    },
    release: async () => {
      if (!alive) return false;
      released.resolve();
      await holding;
      return true;
    },
  };
}
