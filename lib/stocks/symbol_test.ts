import assert from "node:assert/strict";
import { guessAssetClass, normalizeSymbol } from "./symbol.ts";

Deno.test("normalizeSymbol: trims, upper-cases, strips a cashtag's $, rejects the rest", () => {
  assert.equal(normalizeSymbol(" aapl "), "AAPL");
  assert.equal(normalizeSymbol("$fb"), "FB");
  assert.equal(normalizeSymbol("BRK-B"), "BRK-B");
  assert.equal(normalizeSymbol("^GSPC"), "^GSPC");
  assert.equal(normalizeSymbol("005930.KS"), "005930.KS");
  assert.equal(normalizeSymbol(""), null);
  assert.equal(normalizeSymbol("$"), null);
  assert.equal(normalizeSymbol("AA PL"), null);
  assert.equal(normalizeSymbol("-X"), null);
  assert.equal(normalizeSymbol("A".repeat(25)), null);
});

Deno.test("guessAssetClass: Yahoo crypto pairs are crypto, the rest equity", () => {
  assert.equal(guessAssetClass("BTC-USD"), "crypto");
  assert.equal(guessAssetClass("ETH-EUR"), "crypto");
  assert.equal(guessAssetClass("BRK-B"), "equity");
  assert.equal(guessAssetClass("AAPL"), "equity");
});
