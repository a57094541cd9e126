// Analog: what happened after similar news before. The mean realised return after the `k` most
// similar past news items (inputs.similar, all published before as-of with returns realised by
// it) is the forecast; how many of them moved the predicted way sets the confidence.
import type { SimilarNews } from "../../similar/similar_news.ts";
import { percent, signedPercent } from "../format.ts";
import { defineModel, directionOf, FLAT_CONFIDENCE, forecast, leaningConfidence } from "./model.ts";

type ReturnField = "return1d" | "return5d";
const DAYS: Readonly<Record<ReturnField, number>> = { return1d: 1, return5d: 5 };

interface Neighbour {
  item: SimilarNews;
  /** The realised return used, and over how many days. */
  outcome: number;
  days: number;
}

export const analog = defineModel({
  key: "analog",
  description: "Nearest-neighbour analog: the mean return realised after the `k` most similar " +
    "past news; flat when its size is below `flatReturn` (0.002 = 0.2%).",
  params: {
    k: { default: 10, min: 1, max: 50, integer: true },
    flatReturn: { default: 0.002, min: 0, max: 0.1 },
  },
  predict(inputs, { k, flatReturn }) {
    const fields = returnFieldsFor(inputs.horizon);
    const neighbours = [...inputs.similar]
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .flatMap((item) => neighbour(item, fields) ?? [])
      .slice(0, k);
    const label = daysLabel(fields.map((field) => DAYS[field]));
    if (neighbours.length === 0) return { abstain: `no similar past news with a ${label} return` };
    const n = neighbours.length;
    const mean = neighbours.reduce((total, { outcome }) => total + outcome, 0) / n;
    const direction = directionOf(mean, flatReturn);
    const rose = neighbours.filter(({ outcome }) => outcome > 0).length;
    const fell = neighbours.filter(({ outcome }) => outcome < 0).length;
    const agreeing = direction === "up" ? rose : fell;
    const scores = neighbours.map(({ item }) => item.score);
    return forecast(inputs, {
      direction,
      // confidence = 0.5 + 0.25·(2a − n)/(n + 2), a = neighbours that moved the predicted way:
      // agreement among many neighbours counts, among two barely.
      confidence: direction === "flat"
        ? FLAT_CONFIDENCE
        : leaningConfidence((2 * agreeing - n) / (n + 2)),
      reasoning: `${n} similar past news (similarity ${Math.max(...scores).toFixed(2)} to ` +
        `${Math.min(...scores).toFixed(2)}): mean ` +
        `${daysLabel(neighbours.map(({ days }) => days))} return ${signedPercent(mean, 2)}, ` +
        `${rose} rose, ${fell} fell (flat within ±${percent(flatReturn, 1)}) → ${direction}`,
      citedNewsIds: neighbours.map(({ item }) => item.id),
    });
  },
});

/**
 * The realised returns that fit `horizon`, nearest first: the 1-day return for 1, the 5-day one
 * from 5 on, and in between the nearer one, then the other when it is missing (on a tie at 3 the
 * 1-day return first: it is realised sooner, so recent news has it more often).
 */
function returnFieldsFor(horizon: number): ReturnField[] {
  if (horizon <= 1) return ["return1d"];
  if (horizon >= 5) return ["return5d"];
  return horizon <= 3 ? ["return1d", "return5d"] : ["return5d", "return1d"];
}

/** `item` with the first of `fields` it has a finite value for; null when it has none. */
function neighbour(item: SimilarNews, fields: ReturnField[]): Neighbour | null {
  for (const field of fields) {
    const outcome = item[field];
    if (outcome !== null && Number.isFinite(outcome)) return { item, outcome, days: DAYS[field] };
  }
  return null;
}

/** [5, 5] → "5-day", [1, 5, 1] → "1- or 5-day". */
function daysLabel(days: number[]): string {
  return `${[...new Set(days)].sort((a, b) => a - b).join("- or ")}-day`;
}
