// The reader splits the decompressed text into tables at `\.` lines wherever the decompressor's
// chunks happen to end: here the end of a table falls across every position of a chunk boundary.
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { readBackup } from "./backup_file.ts";
import type { BackupHeader } from "./header.ts";

/** Node's zlib hands out decompressed data in chunks of this size. */
const CHUNK = 16 * 1024;

function header(rows: Record<string, number>): BackupHeader {
  return {
    format: "craveny-backup",
    version: 1,
    createdAt: "2025-06-30T23:00:00.000Z",
    source: { kind: "postgres", serverVersion: "15" },
    migrations: [{ version: 1, name: "initial", checksum: "0".repeat(64) }],
    tables: Object.entries(rows).map(([name, count]) => ({
      name,
      columns: ["id"],
      rows: count,
      sha256: "0".repeat(64),
      sequences: [],
    })),
  };
}

/** What readBackup yields, as rows per table and the order of ends. */
async function read(path: string) {
  const rows: Record<string, number> = {};
  const ends: string[] = [];
  for await (const record of readBackup(path)) {
    if (record.kind === "rows") {
      const text = new TextDecoder().decode(record.data);
      assert.ok(text.endsWith("\n"), "whole lines");
      assert.ok(!text.includes("\\."), "no end line inside the rows");
      rows[record.table.name] = (rows[record.table.name] ?? 0) + text.split("\n").length - 1;
    } else if (record.kind === "end") ends.push(record.table.name);
  }
  return { rows, ends };
}

Deno.test("readBackup finds each table's end wherever the chunks split it", async () => {
  await using dir = await tempDir("craveny-backup-file-");
  const path = join(dir.path, "split.backup");
  for (let shift = -4; shift <= 4; shift++) {
    // Table a's rows fill the first chunk up to `shift` bytes around its end.
    const head = `${JSON.stringify(header({ a: 2, b: 0, c: 1 }))}\n`;
    const filler = CHUNK + shift - head.length - `["1"]\n`.length - 1;
    const body = `["${"x".repeat(filler - 4)}"]\n["1"]\n\\.\n\\.\n["2"]\n\\.\n`;
    await Deno.writeFile(path, gzipSync(head + body));
    assert.deepEqual(await read(path), { rows: { a: 2, c: 1 }, ends: ["a", "b", "c"] }, `${shift}`);
  }
});

Deno.test("readBackup refuses data after the last table, a missing end, no header", async () => {
  await using dir = await tempDir("craveny-backup-file-");
  const path = join(dir.path, "bad.backup");
  const head = `${JSON.stringify(header({ a: 1 }))}\n`;
  await Deno.writeFile(path, gzipSync(`${head}["1"]\n\\.\n["2"]\n`));
  await assert.rejects(read(path), /bad\.backup is corrupted: it has data after its last table$/);
  await Deno.writeFile(path, gzipSync(`${head}["1"]\n`));
  await assert.rejects(read(path), /bad\.backup is truncated: it ends inside table a$/);
  await Deno.writeFile(path, new Uint8Array());
  await assert.rejects(read(path), /bad\.backup is empty$/);
  await Deno.writeFile(path, gzipSync("no header line"));
  await assert.rejects(
    read(path),
    /bad\.backup is not a Craveny backup \(its header is missing\)$/,
  );
});
