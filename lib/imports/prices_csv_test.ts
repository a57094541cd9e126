import assert from "node:assert/strict";
import { HeaderError } from "./header.ts";
import { parsePriceRow, priceColumns, symbolFromFileName } from "./prices_csv.ts";

Deno.test("priceColumns: case, spaces and underscores don't matter; optional columns", () => {
  const yahoo = priceColumns(
    ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume", "Ticker"],
    "x.csv",
  );
  assert.deepEqual(yahoo, {
    width: 8,
    date: 0,
    open: 1,
    high: 2,
    low: 3,
    close: 4,
    adjClose: 5,
    volume: 6,
    symbol: 7,
    fileSymbol: null,
  });
  const stocknet = priceColumns(
    ["date", "ticker", "open", "high", "low", "close", "adj_close", "volume"],
    "prices_daily.csv",
  );
  assert.equal(stocknet.adjClose, 6);
  const bare = priceColumns([" DATE ", "open", "high", "low", "close"], "data/brk-b.csv");
  assert.deepEqual([bare.adjClose, bare.volume, bare.symbol, bare.fileSymbol], [
    null,
    null,
    null,
    "BRK-B",
  ]);
});

Deno.test("priceColumns: a missing column is one error naming what is expected", () => {
  assert.throws(
    () => priceColumns(["date", "ticker", "open", "high", "low"], "x.csv"),
    (error: unknown) =>
      error instanceof HeaderError && /missing: close\./.test(error.message) &&
      /needs the columns date, open, high, low, close/.test(error.message) &&
      /Header found: "date", "ticker", "open", "high", "low"/.test(error.message),
  );
  assert.throws(
    () => priceColumns(["date", "open", "high", "low", "close"], "prices_daily.csv"),
    /missing: symbol or ticker \(or a file named after the ticker, e\.g\. AAPL\.csv\)/,
  );
});

Deno.test("symbolFromFileName", () => {
  assert.equal(symbolFromFileName("/data/AAPL.csv"), "AAPL");
  assert.equal(symbolFromFileName("btc-usd.CSV"), "BTC-USD");
  assert.equal(symbolFromFileName("prices_daily.csv"), null);
  assert.equal(symbolFromFileName("a very long name.csv"), null);
});

Deno.test("parsePriceRow: good rows, and a reason for each bad one", () => {
  const columns = priceColumns(
    ["date", "ticker", "open", "high", "low", "close", "adj_close", "volume"],
    "x.csv",
  );
  const row = (text: string) => parsePriceRow(text.split(","), columns);
  assert.deepEqual(row("2015-01-02,aapl,27.8,27.86,26.84,27.33,25.1,212818400"), {
    row: {
      symbol: "AAPL",
      bar: {
        date: "2015-01-02",
        open: 27.8,
        high: 27.86,
        low: 26.84,
        close: 27.33,
        adjClose: 25.1,
        volume: 212818400,
      },
    },
  });
  const noVolume = row("2015-01-02 00:00:00-05:00,AAPL,1,2,1,2,,");
  assert.ok("row" in noVolume);
  assert.deepEqual([noVolume.row.bar.date, noVolume.row.bar.adjClose, noVolume.row.bar.volume], [
    "2015-01-02",
    null,
    null,
  ]);
  const reasons: [string, RegExp][] = [
    ["2015-01-02,AAPL,1,2,1", /5 fields where the header has 8/],
    ["2015-02-30,AAPL,1,2,1,2,2,1", /date "2015-02-30" is not YYYY-MM-DD/],
    ["01/02/2015,AAPL,1,2,1,2,2,1", /is not YYYY-MM-DD/],
    ["2015-01-02,AA PL,1,2,1,2,2,1", /symbol "AA PL" is not a ticker/],
    ["2015-01-02,AAPL,null,2,1,2,2,1", /open "null" is not a number/],
    ["2015-01-02,AAPL,1,2,1,,2,1", /close is empty/],
    ["2015-01-02,AAPL,1,2,1,0,2,1", /close 0 is not positive/],
    ["2015-01-02,AAPL,1,2,3,2,2,1", /high 2 is below low 3/],
    ["2015-01-02,AAPL,1,2,1,2.5,2,1", /close 2.5 is outside low 1 – high 2/],
    ["2015-01-02,AAPL,1,2,1,2,2,-5", /volume -5 is not a non-negative number/],
  ];
  for (const [text, reason] of reasons) {
    const result = row(text);
    assert.ok("reason" in result, text);
    assert.match(result.reason, reason);
  }
  const fromFile = priceColumns(["date", "open", "high", "low", "close"], "MSFT.csv");
  assert.deepEqual(parsePriceRow(["2020-01-02", "1", "1", "1", "1"], fromFile), {
    row: {
      symbol: "MSFT",
      bar: { date: "2020-01-02", open: 1, high: 1, low: 1, close: 1, adjClose: null, volume: null },
    },
  });
});
