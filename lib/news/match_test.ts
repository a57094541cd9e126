import assert from "node:assert/strict";
import type { Stock } from "../stocks/stock.ts";
import { coreName, matchStocks } from "./match.ts";

let nextId = 1;
function stock(
  symbol: string,
  name: string,
  aliases: string[] = [],
  assetClass: Stock["assetClass"] = "equity",
): Stock {
  return {
    id: nextId++,
    symbol,
    exchange: "NASDAQ",
    name,
    aliases,
    assetClass,
    currency: "USD",
    active: true,
  };
}

/** A universe with the hard cases: common-word names, word tickers, one-letter tickers. */
const UNIVERSE: Stock[] = [
  stock("AAPL", "Apple Inc.", ["iPhone maker"]),
  stock("MSFT", "Microsoft Corporation"),
  stock("NVDA", "NVIDIA Corporation", ["Nvidia"]),
  stock("TSLA", "Tesla, Inc."),
  stock("AMZN", "Amazon.com, Inc."),
  stock("GOOGL", "Alphabet Inc. Class A", ["Google"]),
  stock("META", "Meta Platforms, Inc.", ["Meta", "Facebook"]),
  stock("JPM", "JPMorgan Chase & Co.", ["JPMorgan", "JP Morgan"]),
  stock("XOM", "Exxon Mobil Corporation", ["Exxon", "ExxonMobil"]),
  stock("A", "Agilent Technologies, Inc.", ["Agilent"]),
  stock("ALL", "The Allstate Corporation", ["Allstate"]),
  stock("NOW", "ServiceNow, Inc."),
  stock("ON", "ON Semiconductor Corporation", ["onsemi"]),
  stock("IT", "Gartner, Inc."),
  stock("T", "AT&T Inc."),
  stock("F", "Ford Motor Company", ["Ford"]),
  stock("V", "Visa Inc."),
  stock("TGT", "Target Corporation"),
  stock("HD", "The Home Depot, Inc."),
  stock("KO", "The Coca-Cola Company"),
  stock("BTC-USD", "Bitcoin", [], "crypto"),
  stock("BRK-B", "Berkshire Hathaway Inc. Class B", ["Berkshire"]),
  stock("INTC", "Intel Corporation"),
  stock("DIS", "The Walt Disney Company", ["Disney"]),
  stock("SNAP", "Snap Inc."),
  stock("AMD", "Advanced Micro Devices, Inc.", ["AMD"]),
];

const BY_ID = new Map(UNIVERSE.map((s) => [s.id, s.symbol]));

function symbols(title: string, summary: string | null = null, tagged?: string[]): string[] {
  return matchStocks({ title, summary }, UNIVERSE, tagged).map((m) => BY_ID.get(m.stockId)!).sort();
}

/** [headline, the stocks it is about]. Negatives have []. */
const HEADLINES: [string, string[]][] = [
  // Common-word company names
  ["Apple’s (AAPL) Q1 Earnings Beat Estimates, Revenues Up Y/Y", ["AAPL"]],
  ["Apple pie recipes for the holidays", []],
  ["The best apple pie recipe you'll ever bake", []],
  ["Apple Pie Recipes Everyone Loves", []],
  ["Apple of my eye: a love letter to autumn", []],
  ["The Big Apple's office market rebounds", []],
  ["Apple can't repair older out-of-warranty watches during ban - Bloomberg News", ["AAPL"]],
  ["Wall Street ends down as Apple weighs", ["AAPL"]],
  ["The iPhone maker's services revenue hit a record", ["AAPL"]],
  ["APPLE SHARES FALL AFTER CHINA SALES DROP", ["AAPL"]],
  ["Meta Platforms doubles capex as AI spending surges", ["META"]],
  ["Meta shares jump 20% after record quarter", ["META"]],
  ["A meta-analysis of 40 studies finds no link between coffee and cancer", []],
  ["Meta-Analysis Shows Exercise Improves Mood", []],
  ["How to write a meta description that ranks", []],
  ["Meta Description Best Practices for SEO in 2024", []],
  ["US regulator fines Meta $1.3 billion over data transfers", ["META"]],
  ["Top Stock Reports for Apple, Visa & Novo Nordisk", ["AAPL", "V"]],
  ["Visa requirements for travellers to the US tighten", []],
  ["Visa Inc. (V) Q1 earnings: what to expect", ["V"]],
  ["Target audience: how marketers reach Gen Z", []],
  ["Target cuts forecast as shoppers pull back", ["TGT"]],
  ["Amazon rainforest deforestation hits record", []],
  ["Amazon to open new logistics hub, adding 1,000 jobs", ["AMZN"]],
  ["Alphabet soup: the agencies behind the rules", []],
  ["Alphabet (GOOGL) beats; Google Cloud revenue grows 26%", ["GOOGL"]],
  ["Google unveils Gemini, its most capable AI model", ["GOOGL"]],
  ["Intel on troop movements suggests a new offensive", []],
  ["Intel shares tumble 11% on weak guidance", ["INTC"]],
  ["Ford recalls 1.9 million Explorers over seat belts", ["F"]],
  ["Harrison Ford to star in new adventure film", []],
  ["Snap shares plunge 30% on revenue miss", ["SNAP"]],
  ["Oh snap! The best photo apps of 2024", []],
  // Word tickers and abbreviations
  ["NOW is the time to buy stocks, says strategist", []],
  ["ServiceNow (NOW) tops estimates as AI demand grows", ["NOW"]],
  ["All eyes on the Fed: ALL you need to know before Wednesday's stock market open", []],
  ["Allstate (ALL) Q4 catastrophe losses mount", ["ALL"]],
  ["IT budgets grow as companies move to the cloud", []],
  ["IT spending to rise 8% in 2024, Gartner says", ["IT"]],
  ["ON Semiconductor (ON) shares slide on weak auto demand", ["ON"]],
  ["Stocks rebound ON hopes of rate cuts", []],
  ["Watch in HD: the best TV deals this weekend", []],
  ["Home Depot (HD) earnings preview: what to watch", ["HD"]],
  ["Oh, snap: SNAP stock falls", []],
  // One-letter tickers
  ["Agilent Technologies (NYSE:A) beats on revenue", ["A"]],
  ["A rally in tech lifts Nasdaq to a record", []],
  ["Plan (A) or plan (B)? Choosing a retirement strategy for your stock portfolio", []],
  ["Noteworthy Tuesday Option Activity: FSLR, A, ISRG", ["A"]],
  ["A. Schulman, Inc. - Growth & Income", []],
  ["AT&T and Verizon: which dividend is safer?", ["T"]],
  // Symbols, cashtags, lists
  ["$TSLA breaks out above $250", ["TSLA"]],
  ["$aapl looking strong into earnings", ["AAPL"]],
  ["AAPL Stock Alert: Why Now May Be the Perfect Time to Take a Bite of Apple", ["AAPL"]],
  ["AMD, NVDA lead chip rally", ["AMD", "NVDA"]],
  ["After Hours Most Active for Jan 25, 2024 : INTC, RY, MFC, BN, AAPL, IUSB, KMI", [
    "AAPL",
    "INTC",
  ]],
  ["Daily Dividend Report: AAPL,META,MCHP,BKR,MDLZ", ["AAPL", "META"]],
  ["Apple Inc <AAPL.O> shares fell 2% in premarket trading", ["AAPL"]],
  ["Berkshire Hathaway (BRK.B) adds to its Chevron stake", ["BRK-B"]],
  ["$BRK.B hits an all-time high", ["BRK-B"]],
  ["$BTC tops $70,000 as ETF inflows surge", ["BTC-USD"]],
  ["Bitcoin slides below $60K", ["BTC-USD"]],
  ["Is Franklin U.S. Equity Index ETF (USPX) a Strong ETF Right Now?", []],
  // Distinctive names
  ["JPMorgan Chase & Co. raises its dividend", ["JPM"]],
  ["Exxon, Chevron profits fall as oil prices ease", ["XOM"]],
  ["Coca-Cola raises dividend for 62nd year", ["KO"]],
  ["Disney to cut 7,000 jobs", ["DIS"]],
  ["Nvidia stock hits a record as AI demand surges", ["NVDA"]],
  ["Microsoft briefly overtakes Apple as world's most valuable company", ["AAPL", "MSFT"]],
  ["US STOCKS-Wall St falls as Tesla, Apple weigh", ["AAPL", "TSLA"]],
];

Deno.test(`headline table (${HEADLINES.length} cases)`, () => {
  assert.ok(HEADLINES.length >= 40);
  const failures = HEADLINES.flatMap(([headline, expected]) => {
    const got = symbols(headline);
    return JSON.stringify(got) === JSON.stringify([...expected].sort())
      ? []
      : [`${headline}\n    expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`];
  });
  assert.deepEqual(failures, []);
});

function only(title: string, summary: string | null = null, tagged?: string[]) {
  return matchStocks({ title, summary }, UNIVERSE, tagged).map((m) => ({
    symbol: BY_ID.get(m.stockId),
    score: m.score,
    matchedOn: m.matchedOn,
  }));
}

Deno.test("scores follow the evidence table", () => {
  assert.deepEqual(only("Tech news", null, ["AAPL", "$msft"]), [
    { symbol: "AAPL", score: 1, matchedOn: "tagged" },
    { symbol: "MSFT", score: 1, matchedOn: "tagged" },
  ]);
  assert.deepEqual(only("$AAPL to the moon"), [{
    symbol: "AAPL",
    score: 0.95,
    matchedOn: "cashtag",
  }]);
  assert.deepEqual(only("Apple Stock (NASDAQ:AAPL): Reality Sets In"), [
    { symbol: "AAPL", score: 0.95, matchedOn: "symbol" },
  ]);
  assert.deepEqual(only("Apple Inc. is attracting investor attention"), [
    { symbol: "AAPL", score: 0.9, matchedOn: "name" },
  ]);
  assert.deepEqual(only("Apple (AAPL) Stock Moves -1.07%"), [
    { symbol: "AAPL", score: 0.9, matchedOn: "symbol" },
  ]);
  assert.deepEqual(only("Microsoft wins cloud contract"), [
    { symbol: "MSFT", score: 0.85, matchedOn: "name" },
  ]);
  assert.deepEqual(only("Google faces an antitrust trial"), [
    { symbol: "GOOGL", score: 0.8, matchedOn: "alias" },
  ]);
  assert.deepEqual(only("AAPL Quantitative Stock Analysis"), [
    { symbol: "AAPL", score: 0.7, matchedOn: "symbol" },
  ]);
  assert.deepEqual(only("Apple stock: time to buy?"), [
    { symbol: "AAPL", score: 0.7, matchedOn: "name" },
  ]);
  assert.deepEqual(only("Meta shares rally"), [{ symbol: "META", score: 0.7, matchedOn: "alias" }]);
  assert.deepEqual(only("Technology Sector Update: NOVA, AAPL, LGCB"), [
    { symbol: "AAPL", score: 0.6, matchedOn: "symbol" },
  ]);
  // Best evidence wins; order is best first.
  assert.deepEqual(only("$TSLA and Apple (AAPL) lead gains"), [
    { symbol: "TSLA", score: 0.95, matchedOn: "cashtag" },
    { symbol: "AAPL", score: 0.9, matchedOn: "symbol" },
  ]);
});

Deno.test("found only in the summary: scaled down; title and summary share their context", () => {
  assert.deepEqual(
    only("Tech stocks rally into the close", "Microsoft and Nvidia led the gains."),
    [
      { symbol: "MSFT", score: 0.72, matchedOn: "name" },
      { symbol: "NVDA", score: 0.72, matchedOn: "name" },
    ],
  );
  // "Apple" in the title has its business context in the summary.
  assert.deepEqual(only("What's next for Apple", "The company reports earnings on Thursday."), [
    { symbol: "AAPL", score: 0.7, matchedOn: "name" },
  ]);
  // …and a fruit summary vetoes it.
  assert.deepEqual(only("What's next for Apple", "Our favourite pie recipes for autumn."), []);
});

Deno.test("tagged symbols are normalised and unknown ones ignored", () => {
  assert.deepEqual(symbols("Nothing to see", null, [" aapl ", "$BRK-B", "ZZZZ"]), [
    "AAPL",
    "BRK-B",
  ]);
  assert.deepEqual(symbols("Nothing to see", null, []), []);
});

Deno.test("core names drop legal forms, share classes and a leading 'The'", () => {
  assert.equal(coreName("Apple Inc."), "Apple");
  assert.equal(coreName("Meta Platforms, Inc."), "Meta Platforms");
  assert.equal(coreName("Alphabet Inc. Class A"), "Alphabet");
  assert.equal(coreName("Alphabet Inc. (Class A)"), "Alphabet");
  assert.equal(coreName("JPMorgan Chase & Co."), "JPMorgan Chase");
  assert.equal(coreName("The Walt Disney Company"), "Walt Disney");
  assert.equal(coreName("Amazon.com, Inc."), "Amazon");
  assert.equal(coreName("AT&T Inc."), "AT&T");
  assert.equal(coreName("Procter & Gamble Company"), "Procter & Gamble");
  assert.equal(coreName("Berkshire Hathaway Inc. Class B"), "Berkshire Hathaway");
  assert.equal(coreName("Co"), "Co");
});

Deno.test("an empty universe or empty text matches nothing", () => {
  assert.deepEqual(matchStocks({ title: "Apple (AAPL) rallies", summary: null }, []), []);
  assert.deepEqual(matchStocks({ title: "", summary: "" }, UNIVERSE), []);
});
