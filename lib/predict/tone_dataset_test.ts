// The tone lexicon on real labelled text: the bullish and bearish finance tweets of the shared
// twitter_financial_news_sentiment validation split (not part of the repository: skipped, with a
// message, when absent). The lexicon was written before it was first measured here, and was not
// tuned on this file afterwards: the figures estimate how it reads headlines it has never seen.
import assert from "node:assert/strict";
import { parseCsv } from "../imports/csv.ts";
import { scoreText } from "./tone.ts";

const DATASET = new URL(
  "../../../shared/data/twitter_financial_news_sentiment/sent_valid.csv",
  import.meta.url,
);
const BEARISH = "0";
const BULLISH = "1";

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

const available = exists(DATASET);
if (!available) console.warn(`SKIPPED tone dataset test: ${DATASET.pathname} is missing`);

Deno.test({
  name: "tone on labelled finance tweets: the sign agrees with bullish/bearish labels",
  ignore: !available,
  fn: async () => {
    let labelled = 0;
    let scored = 0;
    let agreeing = 0;
    let header: string[] | null = null;
    for await (const { fields } of parseCsv((await Deno.open(DATASET)).readable)) {
      if (header === null) {
        header = fields;
        continue;
      }
      const label = fields[header.indexOf("original_label_id")];
      if (label !== BULLISH && label !== BEARISH) continue;
      labelled++;
      const { score } = scoreText(fields[header.indexOf("text")]);
      if (score === 0) continue;
      scored++;
      if ((score > 0) === (label === BULLISH)) agreeing++;
    }
    const accuracy = agreeing / scored;
    const coverage = scored / labelled;
    console.log(
      `tone lexicon: accuracy ${(accuracy * 100).toFixed(1)}% (${agreeing}/${scored}) on the ` +
        `bullish+bearish items it scores, coverage ${(coverage * 100).toFixed(1)}% ` +
        `(${scored}/${labelled})`,
    );
    assert.equal(labelled, 822, "README: 475 bullish + 347 bearish");
    // Chance is 50%; at this sample size anything above ~56% is already significant.
    assert.ok(accuracy >= 0.75, `accuracy ${accuracy}`);
    assert.ok(coverage >= 0.5, `coverage ${coverage}`);
  },
});
