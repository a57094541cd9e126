// ModelInputs for model tests: a stock at a fixed as-of instant with the bars, news and similar
// news a test gives, and the indicators computed from those bars as inputs.ts would.
import assert from "node:assert/strict";
import { computeIndicators } from "../../lib/predict/indicators.ts";
import {
  type Forecast,
  type InputBar,
  type InputNews,
  isAbstention,
  type ModelAnswer,
  type ModelInputs,
} from "../../lib/predict/types.ts";
import type { SimilarNews } from "../../lib/similar/similar_news.ts";

export const AS_OF = new Date("2024-06-28T20:00:00Z");
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface TestInputs extends Partial<Omit<ModelInputs, "bars">> {
  /** Closes, oldest first, turned into daily bars ending the day of `AS_OF`. */
  closes?: number[];
}

export function testInputs(spec: TestInputs = {}): ModelInputs {
  const { closes = [], ...rest } = spec;
  const bars = barsFromCloses(closes);
  return {
    stock: { id: 1, symbol: "ACME", name: "Acme Corp", exchange: "NASDAQ", assetClass: "equity" },
    asOf: AS_OF,
    horizon: 1,
    mode: "replay",
    bars,
    indicators: computeIndicators(bars),
    news: [],
    similar: [],
    retrieval: { k: 0, embedder: "test:0", query: "" },
    ...rest,
  };
}

/** Bars with open = high = low = close, one per calendar day (the models read closes only). */
function barsFromCloses(closes: number[]): InputBar[] {
  return closes.map((close, i) => ({
    date: new Date(AS_OF.getTime() - (closes.length - 1 - i) * DAY_MS).toISOString().slice(0, 10),
    open: close,
    high: close,
    low: close,
    close,
    volume: 1_000,
  }));
}

/** Closes growing by `rate` per bar from 100 (rate 0: a flat line). */
export function steadyCloses(count: number, rate: number): number[] {
  return Array.from({ length: count }, (_, i) => 100 * (1 + rate) ** i);
}

/** A headline published `hoursAgo` hours before `AS_OF`. */
export function testNews(id: number, title: string, hoursAgo = 1): InputNews {
  return {
    id,
    title,
    summary: null,
    source: "example",
    publishedAt: new Date(AS_OF.getTime() - hoursAgo * HOUR_MS),
  };
}

export interface TestSimilar {
  score?: number;
  return1d?: number | null;
  return5d?: number | null;
}

/** A similar past news item (a month before `AS_OF`) with the given similarity and returns. */
export function testSimilar(id: number, spec: TestSimilar = {}): SimilarNews {
  return {
    id,
    title: `Past headline ${id}`,
    url: `https://news.example/${id}`,
    source: "example",
    publishedAt: new Date(AS_OF.getTime() - 30 * DAY_MS),
    score: spec.score ?? 0.8,
    symbol: "ACME",
    return1d: spec.return1d ?? null,
    return5d: spec.return5d ?? null,
  };
}

/** `answer` as a Forecast; fails the test when the model abstained. */
export function assertForecast(answer: ModelAnswer): Forecast {
  if (isAbstention(answer)) {
    assert.fail(`expected a forecast, the model abstained: ${answer.abstain}`);
  }
  return answer;
}
