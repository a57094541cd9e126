import assert from "node:assert/strict";
import { BadRequest } from "../http/errors.ts";
import { DEFAULT_UNIVERSE } from "./universe.ts";
import { parseStockFields, STOCK_LIMITS } from "./validate.ts";

const APPLE = {
  symbol: "AAPL",
  name: "Apple Inc.",
  exchange: "NASDAQ",
  aliases: ["Apple"],
  assetClass: "equity",
  currency: "USD",
};

/** The problems parseStockFields lists for `body` (it must refuse it). */
function problemsOf(body: unknown): string[] {
  try {
    parseStockFields(body);
  } catch (error) {
    assert.ok(error instanceof BadRequest);
    const { problems } = error.details as { problems: string[] };
    assert.equal(error.message, `Invalid stock: ${problems[0]}`);
    return problems;
  }
  assert.fail(`accepted ${JSON.stringify(body)}`);
}

Deno.test("parseStockFields: trims, normalises the symbol and upper-cases the currency", () => {
  assert.deepEqual(
    parseStockFields({
      symbol: " $brk-b ",
      name: "  Berkshire Hathaway Inc. (Class B) ",
      exchange: " NYSE",
      aliases: [" Berkshire ", "Berkshire Hathaway"],
      assetClass: "equity",
      currency: " usd ",
    }),
    {
      symbol: "BRK-B",
      name: "Berkshire Hathaway Inc. (Class B)",
      exchange: "NYSE",
      aliases: ["Berkshire", "Berkshire Hathaway"],
      assetClass: "equity",
      currency: "USD",
    },
  );
  assert.deepEqual(parseStockFields({ ...APPLE, aliases: [] }).aliases, []);
  assert.equal(
    parseStockFields({ ...APPLE, symbol: "BTC-USD", assetClass: "crypto" }).assetClass,
    "crypto",
  );
});

Deno.test("parseStockFields: lists every problem at once, each naming its field", () => {
  assert.deepEqual(
    problemsOf({
      symbol: "not a ticker",
      name: " ",
      exchange: "",
      aliases: ["Apple", ""],
      assetClass: "bond",
      currency: "dollars",
      sector: "tech",
    }),
    [
      "sector: unknown field (known: symbol, name, exchange, aliases, assetClass, currency)",
      "symbol: expected a ticker: letters, digits and . ^ = _ - (at most 24)",
      "name: expected 1–200 characters",
      "exchange: expected 1–40 characters, e.g. NASDAQ",
      "aliases: at most 50, each up to 100 characters",
      "assetClass: expected equity or crypto",
      "currency: expected a three-letter ISO 4217 code, e.g. USD",
    ],
  );
});

Deno.test("parseStockFields: wrong types and missing fields are problems, not crashes", () => {
  assert.deepEqual(problemsOf({}).map((problem) => problem.split(":")[0]), [
    "symbol",
    "name",
    "exchange",
    "aliases",
    "assetClass",
    "currency",
  ]);
  assert.deepEqual(
    problemsOf({ ...APPLE, symbol: 42, name: ["Apple"], aliases: "Apple", currency: 840 })
      .map((problem) => problem.split(":")[0]),
    ["symbol", "name", "aliases", "currency"],
  );
  assert.deepEqual(problemsOf({ ...APPLE, aliases: ["Apple", null] }), [
    "aliases: at most 50, each up to 100 characters",
  ]);
  for (const body of [null, "AAPL", [APPLE]]) {
    assert.throws(() => parseStockFields(body), /Expected an object describing the stock/);
  }
});

Deno.test("parseStockFields: the length limits are inclusive", () => {
  const at = (length: number) => "x".repeat(length);
  const { name, exchange, alias, aliases } = STOCK_LIMITS;
  assert.equal(parseStockFields({ ...APPLE, name: at(name) }).name.length, name);
  assert.equal(parseStockFields({ ...APPLE, exchange: at(exchange) }).exchange.length, exchange);
  const longest = Array.from({ length: aliases }, (_, i) => `${i}${at(alias - String(i).length)}`);
  assert.equal(parseStockFields({ ...APPLE, aliases: longest }).aliases.length, aliases);
  assert.deepEqual(problemsOf({ ...APPLE, name: at(name + 1) }), [
    "name: expected 1–200 characters",
  ]);
  assert.equal(problemsOf({ ...APPLE, exchange: at(exchange + 1) }).length, 1);
  assert.equal(problemsOf({ ...APPLE, aliases: [...longest, "one more"] }).length, 1);
  assert.equal(problemsOf({ ...APPLE, aliases: [at(alias + 1)] }).length, 1);
});

Deno.test("parseStockFields: markup and SQL in text are kept as text (escaping is for the page)", () => {
  const name = `<script>alert(1)</script>'; drop table stock; --`;
  assert.equal(parseStockFields({ ...APPLE, name, aliases: [name] }).name, name);
});

Deno.test("parseStockFields: the default universe passes it unchanged", () => {
  for (const stock of DEFAULT_UNIVERSE) {
    const body = { aliases: [], assetClass: "equity", currency: "USD", ...stock };
    assert.deepEqual(parseStockFields(body), body, stock.symbol);
  }
});
