import assert from "node:assert/strict";
import { openTestDatabase } from "../../tests/support/database.ts";
import { priceBars } from "../market/store.ts";
import type { Rejection } from "../net/fetched.ts";
import { getStock, upsertStocks } from "../stocks/store.ts";
import { HeaderError } from "./header.ts";
import { importPrices } from "./prices_import.ts";

function file(text: string, chunk = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  return ReadableStream.from(chunks);
}

const now = new Date("2024-03-13T12:00:00Z");

const CSV = [
  "Date,Ticker,Open,High,Low,Close,Adj Close,Volume",
  "2024-03-08,AAPL,170,173,169,170.73,170.5,76114600",
  "2024-03-11,AAPL,172.94,174.38,172.05,172.75,,60139500",
  "2024-03-11,WFC,55,56,54,55.5,55.1,100",
  "2024-03-11,AAPL,1,1,1,,1,1",
  "2024-03-12,aapl,173.15,174.03,171.01,173.23,,59825400",
  "2024-03-13,AAPL,172.77,173.19,170.76,171.13,,52488700",
  "",
].join("\r\n");

Deno.test("importPrices: stores bars, creates unknown symbols inactive, reports bad rows", async () => {
  await using db = await openTestDatabase();
  const { sql } = db;
  await upsertStocks(sql, [{ symbol: "AAPL", exchange: "NASDAQ", name: "Apple" }]);
  const rejected: Rejection[] = [];
  const result = await importPrices(sql, file(CSV), {
    fileName: "bars.csv",
    now,
    onReject: (rejection) => rejected.push(rejection),
  });
  assert.deepEqual(result, {
    rows: 6,
    inserted: 4,
    updated: 0,
    unchanged: 0,
    rejected: 2,
    createdStocks: ["WFC"],
    stopped: false,
  });
  assert.deepEqual(rejected, [
    { at: 5, reason: "close is empty" },
    { at: 7, reason: "2024-03-13 had not closed at import time" },
  ]);
  const wfc = await getStock(sql, "WFC");
  assert.deepEqual([wfc?.exchange, wfc?.active], ["UNKNOWN", false]);
  const apple = await getStock(sql, "AAPL");
  const bars = await priceBars(sql, apple!.id);
  assert.deepEqual(bars.map((bar) => [bar.date, bar.close, bar.adjClose, bar.source]), [
    ["2024-03-08", 170.73, 170.5, "import:bars.csv"],
    ["2024-03-11", 172.75, null, "import:bars.csv"],
    ["2024-03-12", 173.23, null, "import:bars.csv"],
  ]);

  const again = await importPrices(sql, file(CSV, 1000), {
    fileName: "bars.csv",
    source: "other",
    now,
  });
  assert.deepEqual([again.inserted, again.updated, again.unchanged, again.createdStocks], [
    0,
    0,
    4,
    [],
  ]);
});

Deno.test("importPrices: a repeated stock and day in one batch — the later row wins", async () => {
  await using db = await openTestDatabase();
  const rejected: Rejection[] = [];
  const result = await importPrices(
    db.sql,
    file("date,open,high,low,close\n2020-01-02,1,1,1,1\n2020-01-02,2,2,2,2\n"),
    { fileName: "MSFT.csv", now, onReject: (rejection) => rejected.push(rejection) },
  );
  assert.equal(result.inserted, 1);
  assert.deepEqual(rejected, [{ at: 2, reason: "MSFT 2020-01-02 repeated: line 3 replaces it" }]);
  const msft = await getStock(db.sql, "MSFT");
  assert.equal((await priceBars(db.sql, msft!.id))[0].close, 2);
});

Deno.test("importPrices: a missing column refuses the file before writing anything", async () => {
  await using db = await openTestDatabase();
  await assert.rejects(
    importPrices(db.sql, file("date,ticker,open,high,low\n2020-01-02,X,1,1,1\n"), {
      fileName: "x.csv",
    }),
    HeaderError,
  );
  await assert.rejects(importPrices(db.sql, file(""), { fileName: "x.csv" }), /file is empty/);
  const [{ count }] = await db.sql<{ count: number }[]>`select count(*) from stock`;
  assert.equal(count, 0);
});

Deno.test("importPrices: stopping between batches keeps whole batches only", async () => {
  await using db = await openTestDatabase();
  const lines = ["date,symbol,open,high,low,close"];
  for (let day = 0; day < 250; day++) {
    const date = new Date(Date.UTC(2001, 0, 1 + day)).toISOString().slice(0, 10);
    lines.push(`${date},AAPL,1,2,1,2`);
  }
  const controller = new AbortController();
  const progress: number[] = [];
  const result = await importPrices(db.sql, file(lines.join("\n"), 64), {
    fileName: "x.csv",
    batchSize: 100,
    signal: controller.signal,
    onProgress: (rows) => {
      progress.push(rows);
      controller.abort(); // Ctrl-C during the first batch
    },
  });
  assert.equal(result.stopped, true);
  assert.deepEqual(progress, [100]);
  assert.equal(result.inserted, 100);
  const [{ count }] = await db.sql<{ count: number }[]>`select count(*) from price_bar`;
  assert.equal(count, 100);
});
