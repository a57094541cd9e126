// News tone: the mood of the stock's recent headlines, read with the lexicon of ../tone.ts. A
// headline's weight halves every `halfLifeDays` of age at as-of, and the tone is the weighted sum
// over max(1, total weight): several fresh headlines give their weighted mean, while only stale
// ones fade toward neutral — news is priced in within days, so old news is no reason to bet. More
// headlines with a tone make a more confident call. Headlines only: the lexicon was written for headline language, and
// feed summaries often carry boilerplate.
import { scoreText, type Tone } from "../tone.ts";
import { count, signed } from "../format.ts";
import { defineModel, directionOf, FLAT_CONFIDENCE, forecast, leaningConfidence } from "./model.ts";

const DAY_MS = 86_400_000;
/** Terms quoted per side in the reasoning: enough to show why, short enough to read. */
const TERMS_SHOWN = 5;

interface Headline {
  id: number;
  tone: Tone;
  weight: number;
}

export const newsTone = defineModel({
  key: "news-tone",
  description: "Reads the tone of recent headlines with a financial lexicon: up when the " +
    "recency-weighted tone is above `flatTone`, down when below −`flatTone`, flat in between.",
  params: {
    halfLifeDays: { default: 1, min: 0.1, max: 30 },
    flatTone: { default: 0.1, min: 0, max: 1 },
  },
  predict(inputs, { halfLifeDays, flatTone }) {
    if (inputs.news.length === 0) return { abstain: "no recent news" };
    // Inputs hold at most 14 days of news: at the shortest half-life (0.1 day) the oldest weighs
    // 2^-140, far from underflowing.
    const asOf = inputs.asOf.getTime();
    const headlines: Headline[] = inputs.news.map((item) => ({
      id: item.id,
      tone: scoreText(item.title),
      weight: 0.5 ** (Math.max(0, asOf - item.publishedAt.getTime()) / DAY_MS / halfLifeDays),
    }));
    const totalWeight = sum(headlines.map((headline) => headline.weight));
    const tone = sum(headlines.map(pull)) / Math.max(1, totalWeight);
    const voiced = headlines.filter((headline) => headline.tone.score !== 0);
    const direction = directionOf(tone, flatTone);
    // The headlines that drove the call: those pulling its way (all with a tone when flat).
    const drivers = voiced
      .filter((headline) => direction === "flat" || (pull(headline) > 0) === (direction === "up"))
      .sort((a, b) => Math.abs(pull(b)) - Math.abs(pull(a)));
    const n = voiced.length;
    return forecast(inputs, {
      direction,
      // confidence = 0.5 + 0.25·|tone|·n/(n+2), n = headlines with a tone: one counts a third.
      confidence: direction === "flat" ? FLAT_CONFIDENCE : leaningConfidence(
        Math.abs(tone) * n / (n + 2),
      ),
      reasoning:
        `Recency-weighted tone ${signed(tone)} over ${count(inputs.news.length, "headline")}, ` +
        `${n} with a tone (half-life ${count(halfLifeDays, "day")}, flat within ±${flatTone})` +
        termsFound(drivers) + ` → ${direction}`,
      citedNewsIds: drivers.map((headline) => headline.id),
    });
  },
});

/** A headline's signed, weighted contribution to the tone. */
function pull(headline: Headline): number {
  return headline.weight * headline.tone.score;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function termsFound(headlines: Headline[]): string {
  const list = (terms: string[]) => [...new Set(terms)].slice(0, TERMS_SHOWN).join(", ");
  const positive = list(headlines.flatMap((headline) => headline.tone.positive));
  const negative = list(headlines.flatMap((headline) => headline.tone.negative));
  return (positive ? `; positive: ${positive}` : "") + (negative ? `; negative: ${negative}` : "");
}
