import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { listStocks, setStockActive, upsertStocks } from "./store.ts";
import { normalizeSymbol } from "./symbol.ts";
import { DEFAULT_UNIVERSE, seedDefaultUniverse } from "./universe.ts";

Deno.test("the default universe: valid, distinct symbols with names and aliases", () => {
  const symbols = DEFAULT_UNIVERSE.map((stock) => stock.symbol);
  assert.equal(new Set(symbols).size, symbols.length);
  for (const stock of DEFAULT_UNIVERSE) {
    assert.equal(normalizeSymbol(stock.symbol), stock.symbol);
    assert.ok(stock.name && stock.exchange && stock.aliases?.length, stock.symbol);
  }
  assert.ok(symbols.includes("SPY"));
  assert.deepEqual(
    DEFAULT_UNIVERSE.filter((stock) => stock.assetClass === "crypto").map((stock) => stock.symbol),
    ["BTC-USD", "ETH-USD"],
  );
});

Deno.test("seedDefaultUniverse fills an empty table once and never overwrites edits", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  assert.equal(await seedDefaultUniverse(sql), DEFAULT_UNIVERSE.length);
  const seeded = await listStocks(sql);
  assert.equal(seeded.length, DEFAULT_UNIVERSE.length);
  const meta = seeded.find((stock) => stock.symbol === "META");
  assert.deepEqual(meta?.aliases, ["Meta Platforms", "Facebook"]);

  // An admin's edits and deletions survive later starts.
  await setStockActive(sql, "TSLA", false);
  await upsertStocks(sql, [{ symbol: "KO", exchange: "NYSE", name: "Coke", aliases: [] }]);
  await sql`delete from stock where symbol = 'INTC'`;
  assert.equal(await seedDefaultUniverse(sql), 0);
  const after = await listStocks(sql);
  assert.equal(after.length, DEFAULT_UNIVERSE.length - 1);
  assert.equal(after.find((stock) => stock.symbol === "TSLA")?.active, false);
  assert.equal(after.find((stock) => stock.symbol === "KO")?.name, "Coke");
});

Deno.test("seedDefaultUniverse: concurrent first starts insert the universe once", async () => {
  await using db = await openTestDatabase();
  const counts = await Promise.all([seedDefaultUniverse(db.sql), seedDefaultUniverse(db.sql)]);
  assert.deepEqual(counts.sort((a, b) => a - b), [0, DEFAULT_UNIVERSE.length]);
});
