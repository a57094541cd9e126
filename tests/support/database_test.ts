import assert from "node:assert/strict";
import postgres from "postgres";
import { openTestDatabase } from "./database.ts";

async function stillThere(location: string, kind: string): Promise<boolean> {
  if (kind === "embedded") return await Deno.stat(location).then(() => true, () => false);
  const admin = postgres(Deno.env.get("DATABASE_URL") ?? "", { max: 1, onnotice: () => {} });
  try {
    return (await admin`select 1 from pg_database where datname = ${location}`).length === 1;
  } finally {
    await admin.end();
  }
}

Deno.test("test databases are isolated, migrated on request and removed by dispose", async () => {
  const [a, b] = await Promise.all([openTestDatabase(), openTestDatabase({ migrate: false })]);
  try {
    assert.notEqual(a.location, b.location);
    assert.match(
      a.location,
      a.kind === "postgres" ? /^craveny_test_[0-9a-f]{16}$/ : /craveny-test-db-/,
    );
    assert.ok(await stillThere(a.location, a.kind));
    await a.sql`insert into stock (symbol, exchange, name) values ('AAPL', 'NASDAQ', 'Apple')`;
    const [{ count }] = await a.sql<{ count: number }[]>`select count(*) from stock`;
    assert.equal(count, 1);
    const tables = await b.sql`select 1 from information_schema.tables where table_name = 'stock'`;
    assert.equal(tables.length, 0, "migrate: false leaves the database empty");
  } finally {
    await a.dispose();
    await b[Symbol.asyncDispose]();
  }
  assert.equal(await stillThere(a.location, a.kind), false);
  assert.equal(await stillThere(b.location, b.kind), false);
  await a.dispose(); // idempotent
});

Deno.test("await using disposes at the end of the block", async () => {
  let location = "";
  let kind = "";
  {
    await using db = await openTestDatabase({ migrate: false });
    ({ location, kind } = db);
    await db.ping();
  }
  assert.equal(await stillThere(location, kind), false);
});
