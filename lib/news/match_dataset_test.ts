// The matcher on real text: FNSPID nasdaq.com headlines (A = Agilent, AAPL) and StockNet tweets
// from /work/shared/data (not part of the repository: skipped with a message when absent).
import assert from "node:assert/strict";
import type { Stock } from "../stocks/stock.ts";
import { DEFAULT_UNIVERSE } from "../stocks/universe.ts";
import { compileMatcher, type StockMatch } from "./match.ts";

const DATA = new URL("../../../shared/data/", import.meta.url);

/** The seed universe plus Agilent, whose one-letter ticker "A" is the hardest case. */
const UNIVERSE: Stock[] = [
  ...DEFAULT_UNIVERSE,
  { symbol: "A", exchange: "NYSE", name: "Agilent Technologies, Inc.", aliases: ["Agilent"] },
].map((stock, index) => ({
  id: index + 1,
  symbol: stock.symbol,
  exchange: stock.exchange,
  name: stock.name,
  aliases: stock.aliases ?? [],
  assetClass: stock.assetClass ?? "equity",
  currency: "USD",
  active: true,
}));
const ID = new Map(UNIVERSE.map((stock) => [stock.symbol, stock.id]));
const match = compileMatcher(UNIVERSE);

/** RFC 4180 CSV (quoted fields, doubled quotes, no newlines inside fields in these files). */
function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line !== "");
  const split = (line: string): string[] => {
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i];
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') field += line[++i];
        else if (char === '"') quoted = false;
        else field += char;
      } else if (char === '"') quoted = true;
      else if (char === ",") {
        fields.push(field);
        field = "";
      } else field += char;
    }
    fields.push(field);
    return fields;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => {
    const fields = split(line);
    return Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ""]));
  });
}

async function readDataset(path: string): Promise<Record<string, string>[] | null> {
  try {
    return parseCsv(await Deno.readTextFile(new URL(path, DATA)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      console.log(`skipped: ${new URL(path, DATA).pathname} is absent`);
      return null;
    }
    throw error;
  }
}

function found(matches: StockMatch[], symbol: string): StockMatch | undefined {
  return matches.find((m) => m.stockId === ID.get(symbol));
}

const percent = (part: number, whole: number) => `${(100 * part / whole).toFixed(1)}%`;

Deno.test("FNSPID AAPL headlines: AAPL is found wherever the text names it", async () => {
  const rows = await readDataset("fnspid_headlines_sample/headlines.csv");
  if (!rows) return;
  const aapl = rows.filter((row) => row.ticker === "AAPL");
  assert.ok(aapl.length > 800);
  const mentions = (headline: string) => /\bApple\b|\bAAPL\b/.test(headline);
  let matched = 0;
  let mentioned = 0;
  let recalled = 0;
  const missed: string[] = [];
  const how = new Map<string, number>();
  for (const row of aapl) {
    const hit = found(match({ title: row.headline, summary: null }), "AAPL");
    if (hit) {
      matched++;
      how.set(hit.matchedOn, (how.get(hit.matchedOn) ?? 0) + 1);
    }
    if (mentions(row.headline)) {
      mentioned++;
      if (hit) recalled++;
      else missed.push(row.headline);
    }
  }
  console.log(
    `FNSPID AAPL: ${matched}/${aapl.length} headlines matched AAPL (${
      percent(matched, aapl.length)
    }); ` +
      `of the ${mentioned} that name Apple or AAPL: ${recalled} ` +
      `(${percent(recalled, mentioned)}); by evidence ${JSON.stringify(Object.fromEntries(how))}`,
  );
  if (missed.length) {
    console.log(`  missed: ${missed.map((h) => JSON.stringify(h)).join("\n          ")}`);
  }
  // The other ~65% are market round-ups and other companies' news listed on the AAPL page
  // (see the dataset's README): nothing in their text names Apple.
  assert.ok(recalled / mentioned >= 0.95, `recall ${percent(recalled, mentioned)}`);
  assert.ok(matched / aapl.length >= 0.3);
});

Deno.test("FNSPID A headlines: the one-letter ticker never matches an article 'A'", async () => {
  const rows = await readDataset("fnspid_headlines_sample/headlines.csv");
  if (!rows) return;
  const agilent = rows.filter((row) => row.ticker === "A");
  let named = 0;
  let namedFound = 0;
  let matched = 0;
  const unjustified: string[] = [];
  const appleWithoutApple: string[] = [];
  for (const { headline } of agilent) {
    const matches = match({ title: headline, summary: null });
    const hit = found(matches, "A");
    if (/Agilent/.test(headline)) {
      named++;
      if (hit) namedFound++;
    }
    if (hit) {
      matched++;
      // Agilent named, an exchange prefix, a cashtag, or one item of a comma-separated ticker list.
      const justified =
        /Agilent|(?:NYSE|NASDAQ)\s*:\s*A\b|\$A\b|(?:\b[A-Z]{2,5}\s*,\s*)A\b|\bA\s*,\s*[A-Z]{2,5}\b/
          .test(headline);
      if (!justified) unjustified.push(headline);
    }
    if (found(matches, "AAPL") && !/\bApple\b|\bAAPL\b/.test(headline)) {
      appleWithoutApple.push(headline);
    }
  }
  console.log(
    `FNSPID A: ${matched}/${agilent.length} matched Agilent; ${namedFound}/${named} of those naming ` +
      `Agilent (${percent(namedFound, named)})`,
  );
  assert.deepEqual(unjustified, []);
  assert.deepEqual(appleWithoutApple, []);
  assert.ok(namedFound / named >= 0.98);
  // Headlines with the word "A" that is not the ticker: none of them matched.
  assert.ok(
    agilent.some((row) =>
      /\bA\b/.test(row.headline) && !found(match({ title: row.headline, summary: null }), "A")
    ),
  );
});

Deno.test("StockNet tweets: every well-formed cashtag of a stock in the universe is found", async () => {
  const rows = await readDataset("stocknet_tweets_2014_2016/tweets.csv");
  if (!rows) return;
  const perTicker = new Map<string, number>();
  let checked = 0;
  let malformed = 0;
  const missed: string[] = [];
  for (const row of rows) {
    if (!ID.has(row.ticker) || (perTicker.get(row.ticker) ?? 0) >= 200) continue;
    if (!row.cashtags.split(" ").includes(row.ticker)) continue;
    perTicker.set(row.ticker, (perTicker.get(row.ticker) ?? 0) + 1);
    const hit = found(match({ title: row.text, summary: null }), row.ticker);
    // StockNet's own extraction also took "$$HD", "fre$KO", "C$PG": not cashtags.
    const wellFormed = new RegExp(`(?:^|[^\\p{L}\\p{N}$])\\$${row.ticker}(?![\\p{L}\\p{N}])`, "iu")
      .test(row.text);
    if (!wellFormed) {
      malformed++;
      continue;
    }
    checked++;
    if (!hit || hit.matchedOn !== "cashtag") missed.push(`${row.ticker}: ${row.text}`);
  }
  console.log(
    `StockNet tweets: ${checked - missed.length}/${checked} cashtags found ` +
      `(${malformed} malformed "cashtags" of StockNet's extraction not counted)`,
  );
  assert.ok(checked > 1000);
  assert.deepEqual(missed, []);
});
