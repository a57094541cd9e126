import assert from "node:assert/strict";
import { parseFraction, ruleRequest } from "../alerts/subscription_input.ts";
import {
  MAX_ARGUMENTS_LENGTH,
  parseMute,
  parseSubscribe,
  parseSymbol,
  parseUnsubscribe,
  tokenize,
} from "./args.ts";

function problemOf<T>(parsed: { ok: true; value: T } | { ok: false; problem: string }): string {
  assert.equal(parsed.ok, false, JSON.stringify(parsed));
  return parsed.ok ? "" : parsed.problem;
}

function valueOf<T>(parsed: { ok: true; value: T } | { ok: false; problem: string }): T {
  if (!parsed.ok) assert.fail(parsed.problem);
  return parsed.value;
}

Deno.test("tokenize splits words, keeps quoted names together and refuses hostile text", () => {
  assert.deepEqual(valueOf(tokenize('  AAPL   80%\nby "Mean Reversion" ')), [
    "AAPL",
    "80%",
    "by",
    "Mean Reversion",
  ]);
  assert.deepEqual(valueOf(tokenize("")), []);
  assert.match(problemOf(tokenize("x".repeat(5000))), /5000 characters/);
  assert.equal(valueOf(tokenize("x".repeat(MAX_ARGUMENTS_LENGTH))).length, 1);
  assert.match(problemOf(tokenize("AAPL\u0000")), /control characters/);
  assert.match(problemOf(tokenize("AAPL\u001b[31m")), /control characters/);
  assert.match(problemOf(tokenize('by "open')), /quote/);
});

Deno.test("fractions are 0–1 decimals or percentages; a bare whole number is not one", () => {
  assert.equal(parseFraction("0.8"), 0.8);
  assert.equal(parseFraction(".75"), 0.75);
  assert.equal(parseFraction("1"), 1);
  assert.equal(parseFraction("0"), 0);
  assert.equal(parseFraction("80%"), 0.8);
  assert.equal(parseFraction("12.5%"), 0.125);
  assert.equal(parseFraction("150%"), 1.5, "out of range is the domain's to refuse");
  for (const token of ["80", "2", "-0.5", "0.8.1", "1e-1", "0x1", "NaN", "%", "80 %"]) {
    assert.equal(parseFraction(token), null, token);
  }
});

Deno.test("/subscribe parses each kind of rule and its options", () => {
  assert.deepEqual(valueOf(parseSubscribe("aapl")), ruleRequest("strong", { symbol: "AAPL" }));
  assert.deepEqual(
    valueOf(parseSubscribe("$aapl 0.85")),
    ruleRequest("strong", { symbol: "AAPL", minConfidence: 0.85 }),
  );
  assert.deepEqual(
    valueOf(parseSubscribe("MSFT consensus 3 daily digest")),
    ruleRequest("consensus", { symbol: "MSFT", minModels: 3, frequency: "daily", digest: true }),
  );
  assert.deepEqual(
    valueOf(parseSubscribe("TSLA flip by momentum once until 2030-01-31")),
    ruleRequest("flip", {
      symbol: "TSLA",
      model: "momentum",
      frequency: "once",
      expiresOn: "2030-01-31",
    }),
  );
  assert.deepEqual(
    valueOf(parseSubscribe('"Mean Reversion" winrate 45%')),
    ruleRequest("win_rate", { model: "Mean Reversion", winRateBelow: 0.45 }),
  );
  assert.deepEqual(
    valueOf(parseSubscribe("* 90% DOWN")),
    ruleRequest("strong", { minConfidence: 0.9, direction: "down" }),
  );
});

Deno.test("/subscribe explains what is wrong", () => {
  assert.match(problemOf(parseSubscribe("")), /\/subscribe SYMBOL/);
  assert.match(problemOf(parseSubscribe("AAPL 80")), /0\.8 or 80%/);
  assert.match(problemOf(parseSubscribe("AAPL consensus")), /how many models/);
  assert.match(problemOf(parseSubscribe("AAPL consensus three")), /how many models/);
  assert.match(problemOf(parseSubscribe("momentum winrate")), /win rate to fall below/);
  assert.match(problemOf(parseSubscribe("AAPL flip consensus 3")), /one kind of rule/);
  assert.match(problemOf(parseSubscribe("AAPL 80% 90%")), /"90%" is given twice/);
  assert.match(problemOf(parseSubscribe("AAPL up down")), /given twice/);
  assert.match(problemOf(parseSubscribe("AAPL by")), /Name the model/);
  assert.match(problemOf(parseSubscribe("AAPL until tomorrow")), /YYYY-MM-DD/);
  assert.match(problemOf(parseSubscribe("AAPL sometimes")), /I don't understand "sometimes"/);
  assert.match(problemOf(parseSubscribe("m winrate 40% by x")), /names its model first/);
});

Deno.test("/subscribe refuses injection attempts before anything is looked up", () => {
  assert.match(problemOf(parseSubscribe("<script>alert(1)</script>")), /not a ticker symbol/);
  assert.match(problemOf(parseSubscribe("'; drop table alert_subscription; --")), /not a ticker/);
  assert.match(problemOf(parseSubscribe("AAPL <b>")), /I don't understand "<b>"/);
  assert.match(problemOf(parseSubscribe("A".repeat(5000))), /arguments fit in/);
  assert.match(problemOf(parseSubscribe("AAPL\u0007")), /control characters/);
  // A long word is quoted back shortened.
  const long = problemOf(parseSubscribe(`AAPL ${"z".repeat(200)}`));
  assert.ok(long.length < 200, long);
});

Deno.test("/unsubscribe, /stock and /mute arguments", () => {
  assert.deepEqual(valueOf(parseUnsubscribe("aapl")), {
    kind: "name",
    symbol: "AAPL",
    name: "aapl",
  });
  assert.deepEqual(valueOf(parseUnsubscribe('"Mean Reversion"')), {
    kind: "name",
    symbol: null,
    name: "Mean Reversion",
  });
  assert.deepEqual(valueOf(parseUnsubscribe("ALL")), { kind: "all" });
  assert.deepEqual(valueOf(parseUnsubscribe("*")), { kind: "any_stock" });
  assert.match(problemOf(parseUnsubscribe("")), /\/unsubscribe SYMBOL/);
  assert.match(problemOf(parseUnsubscribe("AAPL MSFT")), /\/unsubscribe SYMBOL/);

  assert.equal(valueOf(parseSymbol(" btc-usd ", "/stock")), "BTC-USD");
  assert.match(problemOf(parseSymbol("", "/stock")), /\/stock SYMBOL/);
  assert.match(problemOf(parseSymbol("<img>", "/stock")), /"<img>" is not a ticker symbol/);
  assert.match(problemOf(parseSymbol("<img src=x>", "/stock")), /\/stock SYMBOL/);

  assert.equal(valueOf(parseMute("8")), 8);
  assert.equal(valueOf(parseMute("168")), 168);
  assert.equal(valueOf(parseMute("OFF")), 0);
  for (const bad of ["", "169", "-1", "1.5", "8 hours", "lots"]) {
    assert.match(problemOf(parseMute(bad)), /1–168 hours/, bad);
  }
});
