import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { createFence, fencedSql, LostFence } from "./fence.ts";
import { interruptAbandonedRuns, startRun } from "./store.ts";

Deno.test("fencedSql fences every transaction, in both forms of begin", async () => {
  await using db = await openTestDatabase();
  await db.sql`create table fenced (n int not null)`;
  const runId = await startRun(db.sql, "crawl", "test:1");
  const lost: LostFence[] = [];
  const sql = fencedSql(db.sql, createFence("crawl", runId, (error) => lost.push(error)));

  await sql.begin((tx) => tx`insert into fenced values (1)`);
  await sql.begin("read write", (tx) => tx`insert into fenced values (2)`);
  assert.equal(lost.length, 0);

  await interruptAbandonedRuns(db.sql, "crawl"); // another process took the job over
  await assert.rejects(sql.begin((tx) => tx`insert into fenced values (3)`), LostFence);
  await assert.rejects(
    sql.begin("read write", (tx) => tx`insert into fenced values (4)`),
    LostFence,
  );
  assert.equal(lost.length, 2, "the run is told each time");
  assert.equal(lost[0].runId, runId);

  // Everything but begin is the pool itself.
  await sql`insert into fenced values (5)`;
  const rows = await sql<{ n: number }[]>`select n from fenced order by n`;
  assert.deepEqual(rows.map((row) => row.n), [1, 2, 5]);
});
