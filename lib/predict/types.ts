// What every prediction model sees and says. Models receive only `ModelInputs` (built by
// inputs.ts, the single point-in-time gate of DESIGN §5) and answer a `Forecast` or abstain.
import type { SimilarNews } from "../similar/similar_news.ts";

export const DIRECTIONS = ["up", "down", "flat"] as const;
export type Direction = typeof DIRECTIONS[number];
export type PredictionMode = "live" | "replay";

/** One daily bar that had closed by as-of, oldest first in `ModelInputs.bars`. */
export interface InputBar {
  date: string;
  open: number;
  high: number;
  low: number;
  /** Adjusted close when the source gives one, else the close: returns are computed on it. */
  close: number;
  volume: number | null;
}

/** Numbers computed in code from `bars` (the model never does this arithmetic); null: too few bars. */
export interface Indicators {
  lastClose: number | null;
  /** Simple returns over the last 1, 5 and 20 bars (0.012 = +1.2%). */
  return1d: number | null;
  return5d: number | null;
  return20d: number | null;
  sma20: number | null;
  sma50: number | null;
  /** Last close relative to its 20-day average, minus one. */
  distanceFromSma20: number | null;
  rsi14: number | null;
  /** Annualised standard deviation of daily log returns over 20 bars. */
  volatility20: number | null;
}

/** A news item about the stock, published (and, live, fetched) by as-of; newest first. */
export interface InputNews {
  id: number;
  title: string;
  summary: string | null;
  source: string;
  publishedAt: Date;
}

/** How similar past news was retrieved, recorded with every prediction. */
export interface RetrievalParams {
  /** Neighbours asked for; 0 when retrieval is off. */
  k: number;
  /** Embedder index id (`name:dimension`) the search ran on. */
  embedder: string;
  /** The text searched for: the stock's recent headlines (empty when it has none). */
  query: string;
}

/** Everything a model may know about one stock as of one instant. */
export interface ModelInputs {
  stock: { id: number; symbol: string; name: string; exchange: string; assetClass: string };
  asOf: Date;
  /** Trading days from the first close after as-of. */
  horizon: number;
  mode: PredictionMode;
  /** Up to 120 bars that closed by as-of, oldest first. */
  bars: InputBar[];
  indicators: Indicators;
  /** Up to 20 of the stock's news from the 14 days before as-of, newest first. */
  news: InputNews[];
  /** Earlier news most like the recent news (published before as-of), with realised returns. */
  similar: SimilarNews[];
  retrieval: RetrievalParams;
}

/** A model's answer. `citedNewsIds` must be ids of `news` or `similar` it was shown. */
export interface Forecast {
  direction: Direction;
  /** 0 to 1. */
  confidence: number;
  horizon: number;
  reasoning: string;
  citedNewsIds: number[];
}

/** A model declining to forecast, with why (e.g. "fewer than 21 bars"): skipped, not an error. */
export interface Abstention {
  abstain: string;
}

export type ModelAnswer = Forecast | Abstention;

export function isAbstention(answer: ModelAnswer): answer is Abstention {
  return "abstain" in answer;
}

/** Ids of all news shown to a model (its own news, then the similar items). */
export function shownNewsIds(inputs: Pick<ModelInputs, "news" | "similar">): number[] {
  return [
    ...new Set([...inputs.news.map((item) => item.id), ...inputs.similar.map((item) => item.id)]),
  ];
}
