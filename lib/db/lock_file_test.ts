import assert from "node:assert/strict";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { acquireLockFile, LockHeldError } from "./lock_file.ts";

/** A pid that no running process has: a short-lived child that has already exited. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true", { stdout: "null", stderr: "null" }).spawn();
  await child.status;
  return child.pid;
}

Deno.test("a lock file holds our pid and is removed on release", async () => {
  await using temp = await tempDir("craveny-lock-");
  const dir = temp.path;
  const lock = await acquireLockFile(`${dir}/x.lock`);
  const holder = JSON.parse(await Deno.readTextFile(`${dir}/x.lock`));
  assert.equal(holder.pid, Deno.pid);
  assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["x.lock"]);
  await lock.release();
  assert.deepEqual([...Deno.readDirSync(dir)], []);
  await lock.release(); // idempotent
});

Deno.test("a second acquisition while held is refused, also within one process", async () => {
  await using temp = await tempDir("craveny-lock-");
  const dir = temp.path;
  const lock = await acquireLockFile(`${dir}/x.lock`);
  try {
    await assert.rejects(
      acquireLockFile(`${dir}/x.lock`),
      (error) => error instanceof LockHeldError && error.holder.pid === Deno.pid,
    );
    // The same file by another spelling of its path is the same lock.
    await assert.rejects(acquireLockFile(`${dir}/./x.lock`), LockHeldError);
  } finally {
    await lock.release();
  }
  await (await acquireLockFile(`${dir}/x.lock`)).release();
});

Deno.test("a lock left by a dead process or with garbage content is taken over", async () => {
  await using temp = await tempDir("craveny-lock-");
  const dir = temp.path;
  const stale = { pid: await deadPid(), hostname: "h", acquiredAt: "then", token: "old" };
  await Deno.writeTextFile(`${dir}/x.lock`, JSON.stringify(stale));
  const lock = await acquireLockFile(`${dir}/x.lock`);
  assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/x.lock`)).pid, Deno.pid);
  assert.deepEqual(lock.staleHolder, stale);
  await lock.release();

  await Deno.writeTextFile(`${dir}/x.lock`, "\0garbage");
  await (await acquireLockFile(`${dir}/x.lock`)).release();
});

Deno.test("a lock with our own pid that this process does not hold is stale", async () => {
  // e.g. a container restarted with the same pid after a crash
  await using temp = await tempDir("craveny-lock-");
  const dir = temp.path;
  const mine = { pid: Deno.pid, hostname: "h", acquiredAt: "then", token: "old" };
  await Deno.writeTextFile(`${dir}/x.lock`, JSON.stringify(mine));
  await (await acquireLockFile(`${dir}/x.lock`)).release();
});

Deno.test("release leaves alone a lock that someone else took over", async () => {
  await using temp = await tempDir("craveny-lock-");
  const dir = temp.path;
  const lock = await acquireLockFile(`${dir}/x.lock`);
  const other = { pid: 1, hostname: "h", acquiredAt: "now", token: "someone-else" };
  await Deno.writeTextFile(`${dir}/x.lock`, JSON.stringify(other));
  await lock.release();
  assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/x.lock`)).token, "someone-else");
});

Deno.test("a lock held by another live process is refused with its pid", async () => {
  await using temp = await tempDir("craveny-lock-");
  const dir = temp.path;
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { acquireLockFile } from ${JSON.stringify(import.meta.resolve("./lock_file.ts"))};
       await acquireLockFile(${JSON.stringify(`${dir}/x.lock`)});
       console.log("held");
       await new Promise((resolve) => setTimeout(resolve, 60_000));`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = holder.stdout.getReader();
    const { value } = await reader.read();
    assert.equal(new TextDecoder().decode(value).trim(), "held");
    reader.releaseLock();
    await assert.rejects(
      acquireLockFile(`${dir}/x.lock`),
      (error) => error instanceof LockHeldError && error.holder.pid === holder.pid,
    );
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
    await holder.stdout.cancel();
  }
  // Killed without releasing: the lock is stale now.
  await (await acquireLockFile(`${dir}/x.lock`)).release();
});
