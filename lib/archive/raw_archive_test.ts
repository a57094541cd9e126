// The raw archive against a real database (DATABASE_URL's server, or embedded PGlite) and files.
import assert from "node:assert/strict";
import { join } from "node:path";
import { openTestDatabase } from "../../tests/support/database.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import type { FetchedPayload } from "../net/fetched.ts";
import { gzip } from "./gzip.ts";
import {
  archiveDirOf,
  ArchiveError,
  archivePayload,
  loadArchivedPayload,
  readArchived,
} from "./raw_archive.ts";
import { archivedPayloads, markParsed } from "./store.ts";

const csv = "Date,Open,High,Low,Close,Volume\n2024-01-02,187.15,188.44,183.885,185.64,82488700\n";

function payload(body: string, url = "https://stooq.com/q/d/l/?s=aapl.us&i=d"): FetchedPayload {
  return {
    source: "stooq",
    url,
    contentType: "text/csv",
    body: new TextEncoder().encode(body),
    fetchedAt: new Date("2024-01-03T01:00:00.000Z"),
  };
}

async function files(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      for (const name of await files(join(dir, entry.name))) found.push(`${entry.name}/${name}`);
    } else found.push(entry.name);
  }
  return found.sort();
}

Deno.test("raw archive", async (t) => {
  await using db = await openTestDatabase();
  await using data = await tempDir("craveny-archive-");
  const archiveDir = archiveDirOf(data.path);
  const [{ id: stockId }] = await db.sql<{ id: number }[]>`
    insert into stock (symbol, exchange, name) values ('AAPL', 'NASDAQ', 'Apple Inc.') returning id`;

  await t.step(
    "round trip: gzip file named by the hash, row, and the same bytes back",
    async () => {
      const archived = await archivePayload(db.sql, archiveDir, payload(csv), {
        kind: "prices",
        stockId,
      });
      assert.equal(archived.isNew, true);
      assert.match(archived.sha256, /^[0-9a-f]{64}$/);
      assert.equal(archived.ref, `${archived.sha256.slice(0, 2)}/${archived.sha256}.gz`);
      assert.deepEqual(await files(archiveDir), [archived.ref]);
      assert.equal(new TextDecoder().decode(await readArchived(archiveDir, archived.sha256)), csv);
      const [row] = await db.sql`
      select source, kind, url, stock_id, content_type, bytes, fetched_at, parse_status
      from raw_payload where id = ${archived.id}`;
      assert.deepEqual({ ...row }, {
        source: "stooq",
        kind: "prices",
        url: "https://stooq.com/q/d/l/?s=aapl.us&i=d",
        stock_id: stockId,
        content_type: "text/csv",
        bytes: new TextEncoder().encode(csv).byteLength,
        fetched_at: new Date("2024-01-03T01:00:00.000Z"),
        parse_status: "pending",
      });
    },
  );

  await t.step("re-archiving identical bytes adds neither a row nor a file", async () => {
    const first = await archivePayload(db.sql, archiveDir, payload(csv), { kind: "prices" });
    const again = await archivePayload(db.sql, archiveDir, payload(csv), { kind: "prices" });
    assert.equal(first.isNew, false);
    assert.equal(again.id, first.id);
    const [{ count }] = await db.sql<{ count: number }[]>`select count(*) from raw_payload`;
    assert.equal(count, 1);
    // The same bytes from another URL: a second row, still one file.
    const other = await archivePayload(
      db.sql,
      archiveDir,
      payload(csv, "https://stooq.com/q/d/l/?s=aapl.us&i=d&d1=20240101"),
      { kind: "prices" },
    );
    assert.equal(other.isNew, true);
    assert.notEqual(other.id, first.id);
    assert.equal((await files(archiveDir)).length, 1);
  });

  await t.step(
    "a file whose content no longer matches its hash is reported as corrupt",
    async () => {
      const archived = await archivePayload(db.sql, archiveDir, payload("No data"), {
        kind: "prices",
      });
      const path = join(archiveDir, archived.ref);
      await Deno.writeFile(path, await gzip(new TextEncoder().encode("No data!")));
      const error = await readArchived(archiveDir, archived.sha256).then(() => null, (e) => e);
      assert.ok(error instanceof ArchiveError);
      assert.equal(error.reason, "corrupt");
      assert.match(error.message, /is corrupt: its content hashes to [0-9a-f]{64}/);

      await Deno.writeFile(path, new TextEncoder().encode("truncated"));
      await assert.rejects(readArchived(archiveDir, archived.sha256), /is not valid gzip/);

      await Deno.remove(path);
      await assert.rejects(
        readArchived(archiveDir, archived.sha256),
        (e) => e instanceof ArchiveError && e.reason === "missing",
      );
      await assert.rejects(readArchived(archiveDir, "../../etc/passwd"), RangeError);
    },
  );

  await t.step("a kill before the row leaves only a file, adopted by the next run", async () => {
    const orphan = payload("orphan bytes", "https://example.com/orphan");
    const first = await archivePayload(db.sql, archiveDir, orphan, { kind: "news" });
    await db.sql`delete from raw_payload where id = ${first.id}`;
    const again = await archivePayload(db.sql, archiveDir, orphan, { kind: "news" });
    assert.equal(again.isNew, true);
    assert.equal(again.ref, first.ref);
    assert.equal(
      new TextDecoder().decode(await readArchived(archiveDir, again.sha256)),
      "orphan bytes",
    );
    assert.deepEqual((await files(archiveDir)).filter((name) => name.endsWith(".tmp")), []);
  });

  await t.step("archived payloads page in fetch order, filtered, for re-parsing", async () => {
    await db.sql`delete from raw_payload`;
    const ids: number[] = [];
    for (let day = 5; day >= 1; day--) {
      const archived = await archivePayload(db.sql, archiveDir, {
        ...payload(`day ${day}`, `https://example.com/prices/${day}`),
        source: day % 2 ? "yahoo" : "stooq",
        fetchedAt: new Date(`2024-02-0${day}T00:00:00Z`),
      }, { kind: "prices" });
      ids.unshift(archived.id);
    }
    // Microsecond timestamps (as now() writes) must not make a page repeat its last row.
    await db.sql`update raw_payload set fetched_at = fetched_at + interval '1 microsecond'`;
    await archivePayload(db.sql, archiveDir, payload("feed"), { kind: "news" });

    const all = [];
    for await (const row of archivedPayloads(db.sql, { kind: "prices", batchSize: 2 })) {
      all.push(row);
    }
    assert.deepEqual(all.map((row) => row.id), ids);
    assert.deepEqual(all.map((row) => row.url.slice(-1)), ["1", "2", "3", "4", "5"]);

    const loaded = await loadArchivedPayload(archiveDir, all[0]);
    assert.equal(new TextDecoder().decode(loaded.body), "day 1");
    assert.equal(loaded.source, "yahoo");
    assert.equal(loaded.fetchedAt.toISOString(), "2024-02-01T00:00:00.000Z");

    await markParsed(db.sql, ids[0], "parsed");
    await markParsed(db.sql, ids[2], "rejected", "yahoo: not JSON");
    const yahoo = [];
    for await (const row of archivedPayloads(db.sql, { kind: "prices", source: "yahoo" })) {
      yahoo.push([row.url.slice(-1), row.parseStatus, row.parseError, row.parsedAt !== null]);
    }
    assert.deepEqual(yahoo, [
      ["1", "parsed", null, true],
      ["3", "rejected", "yahoo: not JSON", true],
      ["5", "pending", null, false],
    ]);
    const rejected = [];
    for await (const row of archivedPayloads(db.sql, { kind: "prices", status: "rejected" })) {
      rejected.push(row.id);
    }
    assert.deepEqual(rejected, [ids[2]]);

    // Marking inside the loop works on the embedded database's single connection too.
    for await (const row of archivedPayloads(db.sql, { kind: "prices", batchSize: 2 })) {
      await markParsed(db.sql, row.id, "parsed");
    }
    const [{ pending }] = await db.sql<{ pending: number }[]>`
      select count(*) as pending from raw_payload where kind = 'prices' and parse_status <> 'parsed'`;
    assert.equal(pending, 0);
  });
});
