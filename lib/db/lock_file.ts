// A pid lock file so that two processes never open one embedded data directory: PGlite has no
// cross-process locking of its own and two writers would corrupt the cluster.
import { resolve } from "node:path";
import process from "node:process";

export interface LockHolder {
  pid: number;
  hostname: string;
  /** Linux boot id: a lock written before the last reboot is stale whatever its pid. */
  bootId?: string;
  acquiredAt: string;
  /** Random per acquisition, so release() never deletes a lock someone else took over. */
  token: string;
}

export interface LockFile {
  readonly path: string;
  /** The dead holder whose stale lock this acquisition replaced, if any. */
  readonly staleHolder?: LockHolder;
  release(): Promise<void>;
}

export class LockHeldError extends Error {
  constructor(readonly path: string, readonly holder: LockHolder) {
    super(
      `${path} is held by process ${holder.pid} on ${holder.hostname} since ${holder.acquiredAt}`,
    );
    this.name = "LockHeldError";
  }
}

/** Lock files this process holds: our own pid is always alive, so liveness alone can't tell. */
const heldHere = new Set<string>();

async function readBootId(): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile("/proc/sys/kernel/random/boot_id")).trim() || undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    // ESRCH: no such process. EPERM (another user's process) or no permission: assume alive.
    return !(error instanceof Error && "code" in error && error.code === "ESRCH");
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text);
    if (Number.isSafeInteger(value?.pid) && typeof value.token === "string") return value;
  } catch {
    // fall through: unreadable content
  }
  return undefined;
}

function isStale(holder: LockHolder | undefined, key: string, bootId: string | undefined) {
  // Content is written before the file is linked into place, so unreadable means garbage.
  if (!holder) return true;
  if (holder.bootId && bootId && holder.bootId !== bootId) return true;
  if (holder.pid === Deno.pid) return !heldHere.has(key);
  return !isProcessAlive(holder.pid);
}

/**
 * Creates `path` holding this process's pid, or throws `LockHeldError` when a live process holds
 * it. A lock left by a dead process (or before a reboot) is taken over.
 */
export async function acquireLockFile(path: string): Promise<LockFile> {
  const key = resolve(path);
  const bootId = await readBootId();
  const holder: LockHolder = {
    pid: Deno.pid,
    hostname: Deno.hostname(),
    bootId,
    acquiredAt: new Date().toISOString(),
    token: crypto.randomUUID(),
  };
  // Written aside and hard-linked into place: the link is atomic and fails if the lock exists,
  // so nobody ever reads a half-written lock.
  const temporary = `${path}.${Deno.pid}.${holder.token}.tmp`;
  await Deno.writeTextFile(temporary, JSON.stringify(holder));
  let staleHolder: LockHolder | undefined;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await Deno.link(temporary, path);
        heldHere.add(key);
        return { path, staleHolder, release: () => releaseLockFile(path, key, holder.token) };
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      let current: LockHolder | undefined;
      try {
        current = parseHolder(await Deno.readTextFile(path));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue; // released meanwhile: retry
        throw error;
      }
      if (current && !isStale(current, key, bootId)) throw new LockHeldError(path, current);
      staleHolder = current;
      // Stale. Two processes taking over the same stale lock at the same instant could both
      // succeed; that needs a crash followed by two simultaneous starts, and is accepted.
      await Deno.remove(path).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    }
    throw new Error(`could not take ${path}: it keeps reappearing`);
  } finally {
    await Deno.remove(temporary).catch(() => {});
  }
}

async function releaseLockFile(path: string, key: string, token: string): Promise<void> {
  if (!heldHere.has(key)) return;
  heldHere.delete(key);
  try {
    const current = parseHolder(await Deno.readTextFile(path));
    if (current?.token === token) await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
