import assert from "node:assert/strict";
import { contentHash, hashInput, normaliseForHash } from "./content_hash.ts";

const SUMMARY = "The iPhone maker reported revenue of $119.6 billion, up 2% from a year earlier, " +
  "as services offset weaker sales in China.";

Deno.test("normalises case, punctuation, quotes, dashes and whitespace", () => {
  assert.equal(
    normaliseForHash("  Apple’s Q1 Earnings — Beat  Estimates!  "),
    "apple s q1 earnings beat estimates",
  );
  assert.equal(
    normaliseForHash("Apple's Q1 earnings - beat estimates"),
    "apple s q1 earnings beat estimates",
  );
  assert.equal(normaliseForHash("Revenue up 1.5% to $1,000,000"), "revenue up 1.5% to $1000000");
  assert.notEqual(normaliseForHash("up 1.5%"), normaliseForHash("up 15%"));
  assert.equal(normaliseForHash("Ｆｕｌｌｗｉｄｔｈ ＡＡＰＬ"), "fullwidth aapl");
  assert.equal(normaliseForHash("Shares rose sharply…"), "shares rose sharply");
  assert.equal(normaliseForHash("Shares rose sharply..."), "shares rose sharply");
});

Deno.test("the same story under two publishers' typography hashes alike", async () => {
  const a = await contentHash("Apple’s quarterly revenue tops estimates", SUMMARY);
  const b = await contentHash(
    "APPLE'S QUARTERLY REVENUE TOPS ESTIMATES",
    SUMMARY.replace("China.", "China").replace(/ /g, "  "),
  );
  assert.equal(a, b);
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, await contentHash("Apple’s quarterly revenue misses estimates", SUMMARY));
  assert.notEqual(a, await contentHash("Apple’s quarterly revenue tops estimates", null));
});

Deno.test("a recurring title without a telling summary is a new story each day", async () => {
  const monday = new Date("2024-01-08T14:00:00Z");
  const tuesday = new Date("2024-01-09T14:00:00Z");
  const title = "AAPL Quantitative Stock Analysis";
  assert.notEqual(await contentHash(title, null, monday), await contentHash(title, null, tuesday));
  assert.notEqual(
    await contentHash(title, "Daily report", monday),
    await contentHash(title, "Daily report", tuesday),
  );
  // Same day, two URLs: one story.
  assert.equal(
    await contentHash(title, null, monday),
    await contentHash(title, null, new Date("2024-01-08T20:00:00Z")),
  );
  // A telling summary identifies the story by itself, whatever the dates the copies carry.
  assert.equal(
    await contentHash(title, SUMMARY, monday),
    await contentHash(title, SUMMARY, tuesday),
  );
  assert.equal(hashInput("T", SUMMARY, monday), `t\n${normaliseForHash(SUMMARY)}`);
});
