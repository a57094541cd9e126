import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { backupFileName, backupsBeyond, isBackupFileName, pruneBackups } from "./retention.ts";

Deno.test("backup file names carry the UTC time and sort in time order", () => {
  const name = backupFileName(new Date("2025-06-30T23:00:00.123Z"));
  assert.equal(name, "craveny-20250630T230000.123Z.backup");
  assert.ok(isBackupFileName(name));
  for (const other of ["craveny-latest.backup", `.${name}.42.tmp`, `${name}.gz`, "notes.txt"]) {
    assert.ok(!isBackupFileName(other), other);
  }
  const times = ["2025-01-02T00:00:00.000Z", "2024-12-31T23:59:59.999Z", "2025-01-01T12:00:00Z"];
  const names = times.map((time) => backupFileName(new Date(time)));
  assert.deepEqual(
    [...names].sort().map((file) => names.indexOf(file)),
    [1, 2, 0],
  );
});

Deno.test("backupsBeyond keeps the newest and ignores other names", () => {
  const names = [3, 1, 4, 2].map((day) => backupFileName(new Date(Date.UTC(2025, 0, day))));
  assert.deepEqual(backupsBeyond([...names, "notes.txt"], 2), [names[3], names[1]]);
  assert.deepEqual(backupsBeyond(names, 4), []);
});

Deno.test("pruneBackups deletes only backups beyond the newest KEEP", async () => {
  await using dir = await tempDir("craveny-retention-");
  const backups = [1, 2, 3, 4].map((day) => backupFileName(new Date(Date.UTC(2025, 0, day))));
  const others = ["notes.txt", "craveny-before-upgrade.backup", `.${backups[0]}.42.tmp`];
  for (const name of [...backups, ...others]) await Deno.writeTextFile(join(dir.path, name), "x");
  const deleted = await pruneBackups(dir.path, 2);
  assert.deepEqual(deleted, [join(dir.path, backups[1]), join(dir.path, backups[0])]);
  const left = [...Deno.readDirSync(dir.path)].map((entry) => entry.name).sort();
  assert.deepEqual(left, [...backups.slice(2), ...others].sort());
});
