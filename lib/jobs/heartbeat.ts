// Keeps a run's lock alive for as long as the run lasts, however long that is: the lock's TTL only
// has to outlast a stalled or dead process, not the longest run.
import type { Lock } from "../cache/port.ts";

export interface Heartbeat {
  /** Stops extending; resolves once no extension is in flight. */
  stop(): Promise<void>;
}

export const LOCK_LOST =
  "the job lock could not be extended: it expired and another process may have taken the job " +
  "over, or the lock store is unreachable";

/**
 * Extends `lock` to `ttlMs` every `ttlMs / 3`. The first extension that fails calls `onLost`
 * (once) and ends the heartbeat: the run must stop, as another process may now run the job.
 */
export function keepLockAlive(
  lock: Lock,
  ttlMs: number,
  onLost: (reason: string) => void,
): Heartbeat {
  const interval = Math.max(1, Math.floor(ttlMs / 3));
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let beating: Promise<void> = Promise.resolve();
  const beat = async () => {
    const kept = await lock.extend(ttlMs).catch(() => false);
    if (stopped) return;
    if (!kept) return onLost(LOCK_LOST);
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => beating = beat(), interval);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await beating;
    },
  };
}
