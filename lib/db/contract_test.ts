// The port's contract, run against whichever adapter the environment selects: Postgres when
// DATABASE_URL is set, embedded PGlite otherwise (CI runs this file both ways).
import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";

const adapter = Deno.env.get("DATABASE_URL") ? "postgres" : "embedded";

Deno.test(`database contract (${adapter})`, async (t) => {
  await using db = await openTestDatabase({ migrate: false });
  const { sql } = db;
  await sql`
    create table thing (
      id bigint generated always as identity primary key,
      name text not null constraint thing_name_key unique,
      at timestamptz,
      day date,
      data jsonb,
      tags bigint[],
      price double precision,
      amount numeric
    )`;

  await t.step("kind names the adapter", () => {
    assert.equal(db.kind, adapter);
  });

  await t.step("ping resolves", async () => {
    await db.ping();
  });

  await t.step("queries take parameters and return rows", async () => {
    const rows = await sql<{ sum: number; label: string }[]>`
      select ${2}::int + ${3}::int as sum, ${"it's"} || ' ok' as label`;
    assert.deepEqual([...rows], [{ sum: 5, label: "it's ok" }]);
  });

  await t.step("bigint ids, counts and bigint[] come back as JS numbers", async () => {
    const [row] = await sql<{ id: number; tags: number[] }[]>`
      insert into thing (name, tags) values ('numbers', ${[1, 2, 9007199254740991]})
      returning id, tags`;
    assert.equal(typeof row.id, "number");
    assert.deepEqual(row.tags, [1, 2, 9007199254740991]);
    const [{ count }] = await sql<{ count: number }[]>`select count(*) from thing`;
    assert.equal(count, 1);
    const [found] = await sql<{ name: string }[]>`select name from thing where id = ${row.id}`;
    assert.equal(found.name, "numbers");
  });

  await t.step("a bigint beyond 2^53 throws instead of losing digits", async () => {
    await assert.rejects(sql`select 9007199254740993::int8 as big`, RangeError);
    await db.ping(); // the connection survives
  });

  await t.step("double precision is a number, numeric a string", async () => {
    const [row] = await sql<{ price: number; amount: string }[]>`
      insert into thing (name, price, amount) values ('money', ${123.456789}, ${"0.10"})
      returning price, amount`;
    assert.equal(row.price, 123.456789);
    assert.equal(row.amount, "0.10");
  });

  await t.step("timestamptz round-trips as the same instant, sessions run in UTC", async () => {
    const instant = new Date("2024-03-10T07:30:15.123Z");
    const [row] = await sql<{ at: Date; text: string; zone: string }[]>`
      insert into thing (name, at) values ('instant', ${instant})
      returning at, at::text as text, current_setting('TimeZone') as zone`;
    assert.ok(row.at instanceof Date);
    assert.equal(row.at.toISOString(), instant.toISOString());
    assert.equal(row.text, "2024-03-10 07:30:15.123+00");
    assert.equal(row.zone, "UTC");
  });

  await t.step("date round-trips as a YYYY-MM-DD string", async () => {
    const [row] = await sql<{ day: string; next: string }[]>`
      insert into thing (name, day) values ('day', ${"2024-02-29"})
      returning day, (day + 1) as next`;
    assert.equal(row.day, "2024-02-29");
    assert.equal(row.next, "2024-03-01");
    const [fromDate] = await sql<{ day: string }[]>`
      select ${new Date("2024-12-31T23:59:00Z")}::date as day`;
    assert.equal(fromDate.day, "2024-12-31");
  });

  await t.step("jsonb round-trips objects, arrays and unicode", async () => {
    const data = { counts: { fetched: 3, skipped: 0 }, list: [1, "two", null], note: "é 😀" };
    const [row] = await sql<{ data: typeof data }[]>`
      insert into thing (name, data) values ('json', ${sql.json(data)}) returning data`;
    assert.deepEqual(row.data, data);
    const [nested] = await sql<{ fetched: number }[]>`
      select (data -> 'counts' ->> 'fetched')::int as fetched from thing where name = 'json'`;
    assert.equal(nested.fetched, 3);
  });

  await t.step("a transaction commits its work", async () => {
    const result = await sql.begin(async (tx) => {
      await tx`insert into thing (name) values ('committed-1')`;
      await tx`insert into thing (name) values ('committed-2')`;
      return "done";
    });
    assert.equal(result, "done");
    const rows = await sql`select 1 from thing where name like 'committed-%'`;
    assert.equal(rows.length, 2);
  });

  await t.step("a transaction rolls back when its callback throws", async () => {
    await assert.rejects(
      sql.begin(async (tx) => {
        await tx`insert into thing (name) values ('rolled-back')`;
        throw new Error("changed my mind");
      }),
      /changed my mind/,
    );
    const rows = await sql`select 1 from thing where name = 'rolled-back'`;
    assert.equal(rows.length, 0);
  });

  await t.step("a failing statement rolls its transaction back", async () => {
    await assert.rejects(
      sql.begin(async (tx) => {
        await tx`insert into thing (name) values ('before-failure')`;
        await tx`insert into thing (name) values (null)`;
      }),
    );
    const rows = await sql`select 1 from thing where name = 'before-failure'`;
    assert.equal(rows.length, 0);
  });

  await t.step("a unique violation names its constraint", async () => {
    await sql`insert into thing (name) values ('unique')`;
    await assert.rejects(
      sql`insert into thing (name) values ('unique')`,
      (error) =>
        error instanceof Error && "code" in error && error.code === "23505" &&
        "constraint_name" in error && error.constraint_name === "thing_name_key",
    );
    await db.ping();
  });

  await t.step("close ends the connection; later queries reject", async () => {
    await db.close();
    await assert.rejects(sql`select 1`);
    await db.close(); // idempotent
  });
});
