import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { foreignKeyOrder, readCatalog } from "./catalog.ts";

Deno.test("foreignKeyOrder puts referenced tables first, by name otherwise, and refuses cycles", () => {
  const table = (name: string, ...references: string[]) => ({ name, references });
  const order = foreignKeyOrder([
    table("prediction", "model", "stock"),
    table("stock"),
    table("outcome", "prediction"),
    table("model", "model"), // a self-reference is loaded with the table itself
    table("note", "elsewhere"), // a table outside the list does not hold anything up
  ]);
  assert.deepEqual(order.map((t) => t.name), ["model", "note", "stock", "prediction", "outcome"]);
  assert.throws(
    () => foreignKeyOrder([table("a", "b"), table("b", "a"), table("c")]),
    /tables a, b reference each other in a cycle/,
  );
});

Deno.test("readCatalog lists every application table in load order", async () => {
  await using db = await openTestDatabase();
  const catalog = await readCatalog(db.sql);
  const tables = await db.sql<{ name: string }[]>`
    select tablename as name from pg_tables
    where schemaname = 'public' and tablename <> 'schema_migration' order by 1`;
  assert.deepEqual(catalog.map((t) => t.name).sort(), tables.map((t) => t.name));
  const position = new Map(catalog.map((t, index) => [t.name, index]));
  for (const table of catalog) {
    for (const referenced of table.references) {
      if (referenced !== table.name) {
        assert.ok(position.get(referenced)! < position.get(table.name)!);
      }
    }
  }
  const byName = new Map(catalog.map((t) => [t.name, t]));
  const prediction = byName.get("prediction")!;
  assert.deepEqual(prediction.primaryKey, ["id"]);
  assert.deepEqual(prediction.references.sort(), ["ab_test", "model", "model_prompt", "stock"]);
  assert.match(prediction.columns.find((c) => c.name === "id")!.sequence!, /prediction_id_seq/);
  assert.equal(prediction.columns.find((c) => c.name === "cited_news_ids")!.type, "bigint[]");
  const link = byName.get("telegram_link_code")!;
  assert.deepEqual(link.primaryKey, ["code_hash"]);
  assert.ok(link.columns.find((c) => c.name === "code_hash")!.collatable);
  assert.ok(link.columns.every((c) => c.sequence === null));
});
