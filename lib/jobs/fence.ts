// Fencing: a run whose lock expired while its process stalled must not commit work after another
// process has taken the job over. Every write transaction of a run first checks, inside the
// transaction, that the run's job_run row is still `running` (lockCurrentRun); the process that
// takes over marks it interrupted first, so the stale run's later transactions roll back.
import type { ISql, Sql, TransactionSql } from "postgres";
import { lockCurrentRun } from "./store.ts";

/** Thrown inside a write transaction of a run that is no longer its job's current run. */
export class LostFence extends Error {
  constructor(readonly job: string, readonly runId: number) {
    super(
      `${job} run ${runId} is no longer current (another process took the job over): ` +
        "its write was rolled back",
    );
    this.name = "LostFence";
  }
}

export type Fence = (tx: ISql) => Promise<void>;

/**
 * The fence of run `runId`: resolves inside a transaction while the run is current, otherwise
 * calls `onLost` (the runner stops the run) and throws `LostFence`, rolling the transaction back.
 */
export function createFence(
  job: string,
  runId: number,
  onLost: (error: LostFence) => void,
): Fence {
  return async (tx) => {
    if (await lockCurrentRun(tx, runId)) return;
    const error = new LostFence(job, runId);
    onLost(error);
    throw error;
  };
}

/**
 * `sql` whose `begin` runs `fence` first in every transaction, for domain code that opens its own
 * write transactions (upserts, replacements). Statements outside a transaction are not fenced:
 * what a job writes that way must be idempotent.
 */
export function fencedSql(sql: Sql, fence: Fence): Sql {
  type Body = (tx: TransactionSql) => unknown;
  const begin = (...args: [Body] | [string, Body]) => {
    const body = args[args.length - 1] as Body;
    const fenced: Body = async (tx) => {
      await fence(tx);
      return await body(tx);
    };
    return args.length === 2 ? sql.begin(args[0], fenced) : sql.begin(fenced);
  };
  return new Proxy(sql, {
    get: (target, property, receiver) =>
      property === "begin" ? begin : Reflect.get(target, property, receiver),
  });
}
