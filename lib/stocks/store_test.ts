import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { ensureStocks, getStock, listStocks, setStockActive, upsertStocks } from "./store.ts";

Deno.test("stock store", async (t) => {
  await using db = await openTestDatabase();
  const { sql } = db;

  await t.step("upsertStocks inserts, returns rows in the order given", async () => {
    const stored = await upsertStocks(sql, [
      { symbol: "msft", exchange: "NASDAQ", name: "Microsoft", aliases: ["Microsoft Corp"] },
      { symbol: "BTC-USD", exchange: "CRYPTO", name: "Bitcoin", assetClass: "crypto" },
      { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc.", aliases: [] },
    ]);
    assert.deepEqual(stored.map((stock) => stock.symbol), ["MSFT", "BTC-USD", "AAPL"]);
    assert.deepEqual(stored[0].aliases, ["Microsoft Corp"]);
    assert.equal(stored[1].assetClass, "crypto");
    assert.equal(stored[2].currency, "USD");
    assert.ok(stored.every((stock) => stock.active && Number.isInteger(stock.id)));
  });

  await t.step("upsertStocks updates the description but never `active`", async () => {
    await setStockActive(sql, "AAPL", false);
    const before = await getStock(sql, "AAPL");
    const [apple] = await upsertStocks(sql, [
      { symbol: "AAPL", exchange: "NASDAQ", name: "Apple", aliases: ["Apple", "Apple", " "] },
    ]);
    assert.equal(apple.id, before?.id);
    assert.equal(apple.name, "Apple");
    assert.deepEqual(apple.aliases, ["Apple"]);
    assert.equal(apple.active, false);
    const [{ count }] = await sql<{ count: number }[]>`select count(*) from stock`;
    assert.equal(count, 3);
  });

  await t.step("unchanged rows are not rewritten", async () => {
    const [{ updated_at: first }] = await sql<{ updated_at: Date }[]>`
      select updated_at from stock where symbol = 'MSFT'`;
    await upsertStocks(sql, [
      { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft", aliases: ["Microsoft Corp"] },
    ]);
    const [{ updated_at: second }] = await sql<{ updated_at: Date }[]>`
      select updated_at from stock where symbol = 'MSFT'`;
    assert.equal(second.getTime(), first.getTime());
  });

  await t.step("getStock and listStocks", async () => {
    assert.equal((await getStock(sql, "$msft"))?.name, "Microsoft");
    assert.equal(await getStock(sql, "NOPE"), null);
    assert.equal(await getStock(sql, "not a symbol"), null);
    assert.deepEqual((await listStocks(sql)).map((stock) => stock.symbol), [
      "AAPL",
      "BTC-USD",
      "MSFT",
    ]);
    assert.deepEqual((await listStocks(sql, { activeOnly: true })).map((s) => s.symbol), [
      "BTC-USD",
      "MSFT",
    ]);
  });

  await t.step("setStockActive: null for an unknown symbol", async () => {
    assert.equal(await setStockActive(sql, "ZZZZ", true), null);
    assert.equal((await setStockActive(sql, "aapl", true))?.active, true);
  });

  await t.step(
    "ensureStocks creates unknown symbols inactive, leaves known ones alone",
    async () => {
      const stocks = await ensureStocks(sql, ["aapl", "WFC", "$WFC", "ETH-USD"]);
      assert.deepEqual([...stocks.keys()].sort(), ["AAPL", "ETH-USD", "WFC"]);
      assert.equal(stocks.get("AAPL")?.name, "Apple");
      assert.equal(stocks.get("AAPL")?.active, true);
      const wfc = stocks.get("WFC")!;
      assert.deepEqual(
        [wfc.exchange, wfc.name, wfc.active, wfc.assetClass],
        ["UNKNOWN", "WFC", false, "equity"],
      );
      assert.equal(stocks.get("ETH-USD")?.assetClass, "crypto");
      const again = await ensureStocks(sql, ["WFC"], { exchange: "NYSE", active: true });
      assert.equal(again.get("WFC")?.id, wfc.id);
      assert.equal(again.get("WFC")?.exchange, "UNKNOWN");
      assert.equal((await ensureStocks(sql, [])).size, 0);
      await assert.rejects(ensureStocks(sql, ["bad symbol"]), RangeError);
    },
  );
});
