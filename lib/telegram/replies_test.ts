import assert from "node:assert/strict";
import { parseTelegramHtml } from "../../tests/support/fake_telegram.ts";
import { TELEGRAM_MESSAGE_LIMIT } from "../alerts/format.ts";
import type { Subscription } from "../alerts/subscriptions.ts";
import type { ListedPrediction } from "../predictions/query.ts";
import type { Stock } from "../stocks/stock.ts";
import type { Redemption } from "./link_codes.ts";
import {
  helpText,
  linkResultText,
  listActionData,
  maskEmail,
  modelsText,
  parseListAction,
  problemReply,
  RULES_PER_PAGE,
  rulesPage,
  stockText,
  subscribeHelpText,
  topText,
  unknownCommandText,
  welcomeText,
} from "./replies.ts";

const URL = "https://craveny.test";
const HOSTILE = `<script>alert("x")</script> & <b>`;

/** Parses as Telegram's HTML mode does (throws on bad markup) and returns the visible text. */
function visible(html: string): string {
  assert.ok(html.length <= TELEGRAM_MESSAGE_LIMIT, `${html.length} characters`);
  return parseTelegramHtml(html);
}

function rule(id: number, overrides: Partial<Subscription> = {}): Subscription {
  return {
    id,
    chatId: 1,
    userId: 1,
    rule: "strong",
    symbol: "AAPL",
    model: null,
    direction: null,
    minConfidence: 0.8,
    minModels: null,
    winRateBelow: null,
    frequency: "every",
    expiresAt: null,
    digest: false,
    active: true,
    lastTriggeredAt: null,
    createdAt: new Date(0),
    ...overrides,
  };
}

function prediction(overrides: Partial<ListedPrediction> = {}): ListedPrediction {
  return {
    id: 1,
    model: { name: "momentum", provider: "builtin" },
    symbol: "AAPL",
    asOf: new Date("2025-03-07T21:00:00Z"),
    horizon: 5,
    direction: "up",
    confidence: 0.82,
    reasoning: null,
    citedNews: [],
    abTest: null,
    variant: null,
    mode: "live",
    contaminated: false,
    cost: null,
    inputTokens: null,
    outputTokens: null,
    outcome: null,
    createdAt: new Date(0),
    ...overrides,
  };
}

Deno.test("help, welcome and problems are valid Telegram HTML with people's text escaped", () => {
  assert.match(visible(helpText(URL)), /\/subscribe SYMBOL \[confidence\]/);
  assert.match(visible(subscribeHelpText()), /by "Mean Reversion"/);
  assert.equal(visible(problemReply(HOSTILE)), `⚠️ ${HOSTILE}`);
  assert.equal(
    visible(unknownCommandText(`/${HOSTILE}`)),
    `I don't know /${HOSTILE}. /help lists what I can do.`,
  );
  assert.match(
    visible(welcomeText(URL, { wasStopped: true, linkedEmail: "ann@example.com" })),
    /on again[\s\S]*linked to a…@example\.com/,
  );
  assert.match(visible(welcomeText(URL, { wasStopped: false, linkedEmail: null })), /not linked/);
});

Deno.test("every link outcome has its own words", () => {
  const outcomes: Redemption[] = [
    {
      status: "linked",
      userId: 1,
      email: "bob@example.com",
      tookOverFromOtherAccount: true,
      movedFromOtherChat: true,
      rulesMoved: 2,
    },
    { status: "already_linked", userId: 1, email: "bob@example.com" },
    { status: "used" },
    { status: "expired" },
    { status: "unknown" },
    { status: "account_disabled" },
  ];
  const texts = outcomes.map((outcome) => visible(linkResultText(outcome, URL)));
  assert.match(texts[0], /now linked to b…@example\.com[\s\S]*another account[\s\S]*with 2 rules/);
  assert.equal(new Set(texts).size, texts.length);
  assert.equal(maskEmail("x@y.z"), "x…@y.z");
  assert.equal(maskEmail("broken"), "…");
});

Deno.test("/list pages ten rules with a remove button each and page buttons", () => {
  const long = "M".repeat(80);
  const rules = Array.from({ length: 23 }, (_, i) =>
    rule(i + 1, {
      model: long,
      direction: "down",
      frequency: "daily",
      digest: true,
      expiresAt: new Date("2030-01-02T00:00:00Z"),
    }));
  const first = rulesPage(rules, 0);
  assert.match(visible(first.text), /Your alert rules \(23\) · page 1 of 3/);
  const rows = first.keyboard!.inline_keyboard;
  assert.equal(rows.length, RULES_PER_PAGE + 1);
  assert.deepEqual(rows.at(-1)!.map((b) => b.text), ["Next ▶"]);
  const last = rulesPage(rules, 2);
  assert.match(visible(last.text), /page 3 of 3\n21\. AAPL/);
  assert.deepEqual(last.keyboard!.inline_keyboard.at(-1)!.map((b) => b.text), ["◀ Previous"]);
  assert.equal(rulesPage(rules, 99).text, last.text, "a page past the end shows the last");
  for (const row of [...rows, ...last.keyboard!.inline_keyboard]) {
    for (const button of row) {
      const data = (button as { callback_data: string }).callback_data;
      assert.ok(new TextEncoder().encode(data).length <= 64, data);
      assert.notEqual(parseListAction(data), null, data);
    }
  }
  const hostile = rulesPage([rule(5, { symbol: null, model: HOSTILE })], 0);
  assert.match(visible(hostile.text), /any stock: a call at 80% or more, by <script>/);
  assert.equal(rulesPage([], 0).keyboard, undefined);
});

Deno.test("button data is parsed strictly", () => {
  assert.deepEqual(parseListAction(listActionData({ kind: "remove", id: 42, page: 1 })), {
    kind: "remove",
    id: 42,
    page: 1,
  });
  assert.deepEqual(parseListAction("ls:3"), { kind: "page", page: 3 });
  for (
    const data of ["", "rm:0:0", "rm:-1:0", "rm:1", "rm:1:0:0", "ls:", "ls:1000", "rm:1e3:0", "x"]
  ) {
    assert.equal(parseListAction(data), null, data);
  }
});

Deno.test("/top, /models and /stock escape what they show", () => {
  const hostile = prediction({
    symbol: "A&B",
    model: { name: HOSTILE, provider: "builtin" },
    mode: "replay",
  });
  const top = visible(topText({ signals: [hostile], trusted: false }, URL));
  assert.match(top, /no model has earned trust yet/);
  assert.ok(
    top.includes(`A&B · ▲ up · 82% · 5 trading days · ${HOSTILE} · 2025-03-07 · replay`),
    top,
  );
  assert.match(visible(topText({ signals: [], trusted: true }, URL)), /made no up or down call/);

  const models = visible(modelsText({
    mode: "replay",
    standings: [{
      rank: 1,
      model: { id: 1, name: HOSTILE, provider: "builtin", active: true },
      metrics: {
        n: 12,
        wins: 8,
        losses: 4,
        flats: 0,
        winRate: { value: 0.667, low: 0.39, high: 0.86 },
        pValue: null,
        meanStrategyReturn: null,
        cumulativeReturn: null,
        meanNetReturn: null,
        cumulativeNetReturn: null,
        excessVsBuyAndHold: null,
        excessVsIndex: null,
        sharpe: null,
        sortino: null,
        maxDrawdown: null,
        brier: null,
        icMean: null,
        icIr: null,
      },
      trusted: false,
    }],
  }, URL));
  assert.ok(models.includes(`1. ${HOSTILE}: win rate 67% (95% CI 39%–86%, n = 12)`), models);
  assert.match(visible(modelsText({ mode: "live", standings: [] }, URL)), /No model has scored/);

  const stock: Stock = {
    id: 1,
    symbol: "AAPL",
    exchange: "NASDAQ",
    name: HOSTILE,
    aliases: [],
    assetClass: "equity",
    currency: "USD",
    active: false,
  };
  const noData = visible(stockText(stock, [], [], URL));
  assert.match(noData, /No prices yet\.[\s\S]*No model has predicted it yet/);
  assert.ok(noData.includes(`AAPL · ${HOSTILE} (no longer followed)`), noData);
  const many = Array.from(
    { length: 20 },
    (_, i) => prediction({ model: { name: `${"m".repeat(78)}${i}`, provider: "builtin" } }),
  );
  visible(stockText(stock, [], many, URL));
});
