import assert from "node:assert/strict";
import { startTestApp } from "../../tests/support/app.ts";
import { testBar } from "../../tests/support/fixtures.ts";
import { upsertPriceBars } from "../market/store.ts";
import { upsertStocks } from "../stocks/store.ts";

const bar = (date: string, close: number) => testBar(date, close, { adjClose: close, volume: 1e6 });

Deno.test("/api/stocks", async (t) => {
  const app = await startTestApp();
  await using _closing = { [Symbol.asyncDispose]: () => app.close() };
  const { sql } = app.context.db;
  const [apple] = await upsertStocks(sql, [
    { symbol: "AAPL", exchange: "NASDAQ", name: "Apple Inc.", aliases: ["Apple", "iPhone maker"] },
    { symbol: "MSFT", exchange: "NASDAQ", name: "Microsoft Corporation" },
    { symbol: "BTC-USD", exchange: "CRYPTO", name: "Bitcoin", assetClass: "crypto" },
    { symbol: "OLDCO", exchange: "NYSE", name: "Old Corp Holdings", active: false },
  ]);
  await upsertPriceBars(sql, apple, [
    bar("2024-03-04", 170),
    bar("2024-03-05", 171),
    bar("2024-03-06", 172),
    bar("2024-03-07", 173),
    bar("2024-03-08", 174),
  ], "test");

  const get = async (path: string) => {
    const response = await app.app.fetch(new Request(`http://localhost${path}`));
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    return { status: response.status, body: await response.json() };
  };
  const symbols = (body: { stocks: { symbol: string }[] }) => body.stocks.map((s) => s.symbol);

  await t.step("GET /api lists the mounted sections", async () => {
    const { status, body } = await get("/api");
    assert.equal(status, 200);
    assert.deepEqual(
      body.sections.map((section: { path: string }) => section.path),
      [
        "/api/auth",
        "/api/stocks",
        "/api/news",
        "/api/jobs",
        "/api/predictions",
        "/api/evaluations",
        "/api/stream",
        "/api/models",
        "/api/ab-tests",
      ],
    );
  });

  await t.step("lists active stocks by symbol, with their description", async () => {
    const { status, body } = await get("/api/stocks");
    assert.equal(status, 200);
    assert.deepEqual(symbols(body), ["AAPL", "BTC-USD", "MSFT"]);
    assert.deepEqual(body.stocks[0], {
      symbol: "AAPL",
      name: "Apple Inc.",
      exchange: "NASDAQ",
      assetClass: "equity",
      currency: "USD",
      aliases: ["Apple", "iPhone maker"],
      active: true,
    });
  });

  await t.step("?status=all includes inactive stocks; a bad status is a 400", async () => {
    assert.deepEqual(symbols((await get("/api/stocks?status=all")).body), [
      "AAPL",
      "BTC-USD",
      "MSFT",
      "OLDCO",
    ]);
    assert.deepEqual(symbols((await get("/api/stocks?status=active")).body), [
      "AAPL",
      "BTC-USD",
      "MSFT",
    ]);
    const bad = await get("/api/stocks?status=retired");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_query");
    assert.equal(bad.body.error.details.parameter, "status");
  });

  await t.step("?q matches symbol, name or alias, case-insensitively", async () => {
    assert.deepEqual(symbols((await get("/api/stocks?q=msft")).body), ["MSFT"]);
    assert.deepEqual(symbols((await get("/api/stocks?q=bitcoin")).body), ["BTC-USD"]);
    assert.deepEqual(symbols((await get("/api/stocks?q=IPHONE")).body), ["AAPL"]);
    assert.deepEqual(symbols((await get("/api/stocks?q=corp")).body), ["MSFT"], "active only");
    assert.deepEqual(symbols((await get("/api/stocks?q=CORP&status=all")).body), ["MSFT", "OLDCO"]);
    assert.deepEqual(symbols((await get("/api/stocks?q=nothing-like-it")).body), []);
    assert.equal((await get(`/api/stocks?q=${"x".repeat(51)}`)).status, 400);
  });

  await t.step("/api/stocks/:symbol: one stock, normalised symbol, inactive ones too", async () => {
    const { status, body } = await get("/api/stocks/aapl");
    assert.equal(status, 200);
    assert.equal(body.stock.symbol, "AAPL");
    assert.equal((await get("/api/stocks/$BTC-USD")).body.stock.assetClass, "crypto");
    assert.equal((await get("/api/stocks/OLDCO")).body.stock.active, false);
  });

  await t.step("an unknown or malformed symbol is a JSON 404", async () => {
    for (const path of ["/api/stocks/NOPE", "/api/stocks/bad%20symbol!", "/api/stocks/%3Cb%3E"]) {
      const { status, body } = await get(path);
      assert.equal(status, 404, path);
      assert.equal(body.error.code, "not_found", path);
      assert.match(body.error.message, /^No stock with symbol /);
    }
    assert.equal((await get("/api/stocks/NOPE/prices")).status, 404);
    assert.equal((await get("/api/stocks/bad%20symbol!/prices")).status, 404);
  });

  const dates = (body: { bars: { date: string }[] }) => body.bars.map((b) => b.date);

  await t.step("prices: all bars oldest first, with closed_at and source", async () => {
    const { status, body } = await get("/api/stocks/AAPL/prices");
    assert.equal(status, 200);
    assert.equal(body.symbol, "AAPL");
    assert.equal(body.currency, "USD");
    assert.equal(body.truncated, false);
    assert.deepEqual(dates(body), [
      "2024-03-04",
      "2024-03-05",
      "2024-03-06",
      "2024-03-07",
      "2024-03-08",
    ]);
    assert.deepEqual(body.bars[0], {
      date: "2024-03-04",
      open: 170,
      high: 171,
      low: 169,
      close: 170,
      adjClose: 170,
      volume: 1e6,
      closedAt: "2024-03-04T21:00:00.000Z",
      source: "test",
    });
    assert.deepEqual((await get("/api/stocks/MSFT/prices")).body.bars, []);
  });

  await t.step("prices: from and to are inclusive trading days", async () => {
    const range = "/api/stocks/AAPL/prices?from=2024-03-05&to=2024-03-07";
    assert.deepEqual(dates((await get(range)).body), ["2024-03-05", "2024-03-06", "2024-03-07"]);
    assert.deepEqual(dates((await get("/api/stocks/AAPL/prices?from=2024-03-07")).body), [
      "2024-03-07",
      "2024-03-08",
    ]);
    assert.deepEqual(dates((await get("/api/stocks/AAPL/prices?to=2024-03-04")).body), [
      "2024-03-04",
    ]);
    const oneDay = "/api/stocks/AAPL/prices?from=2024-03-06&to=2024-03-06";
    assert.deepEqual(dates((await get(oneDay)).body), ["2024-03-06"]);
    assert.deepEqual(dates((await get("/api/stocks/AAPL/prices?from=2025-01-01")).body), []);
  });

  await t.step("prices: a bad date or from after to is a 400 naming the problem", async () => {
    for (
      const [query, parameter] of [
        ["from=2024-02-30", "from"],
        ["to=yesterday", "to"],
        ["from=2024-3-5", "from"],
      ]
    ) {
      const { status, body } = await get(`/api/stocks/AAPL/prices?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.code, "invalid_query");
      assert.equal(body.error.details.parameter, parameter);
    }
    const reversed = await get("/api/stocks/AAPL/prices?from=2024-03-08&to=2024-03-04");
    assert.equal(reversed.status, 400);
    assert.equal(reversed.body.error.code, "bad_request");
    assert.equal(reversed.body.error.message, "from must not be after to");
  });
});
