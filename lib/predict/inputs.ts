// The single point-in-time gate (DESIGN §5): everything a model may know about a stock as of T
// is assembled here, and models get data no other way. Prices: bars closed by T. News: published
// by T (live: also fetched by T). Similar news: published strictly before T, with returns counted
// only from bars closed by T (lib/similar). The same function serves live runs, replays and the
// look-ahead check, so a replay sees exactly what a live run would have seen.
import type { Sql } from "postgres";
import { sha256Hex } from "../crypto/sha256.ts";
import type { Embedder } from "../embed/port.ts";
import { barsClosedBy } from "../market/store.ts";
import { newsKnownAsOf } from "../news/store.ts";
import { findSimilarNews } from "../similar/similar_news.ts";
import type { Stock } from "../stocks/stock.ts";
import type { VectorStore } from "../vectors/port.ts";
import { computeIndicators, inputBars } from "./indicators.ts";
import type { ModelInputs, PredictionMode } from "./types.ts";

export const INPUT_BARS = 120;
export const NEWS_DAYS = 14;
export const NEWS_LIMIT = 20;
/** Headlines (newest first) that form the similar-news query. */
const QUERY_HEADLINES = 3;

export interface InputPorts {
  sql: Sql;
  vectors: VectorStore;
  embedder: Embedder;
}

export interface InputRequest {
  stock: Stock;
  asOf: Date;
  horizon: number;
  mode: PredictionMode;
  /** Similar past news to retrieve (0: none). */
  similarK: number;
}

/** Everything a model may see about `stock` as of `asOf`. */
export async function assembleInputs(
  ports: InputPorts,
  request: InputRequest,
): Promise<ModelInputs> {
  const { sql } = ports;
  const { stock, asOf, horizon, mode, similarK } = request;
  const since = new Date(asOf.getTime() - NEWS_DAYS * 86_400_000);
  const [bars, news] = await Promise.all([
    barsClosedBy(sql, stock.id, asOf, INPUT_BARS),
    newsKnownAsOf(sql, stock.id, { asOf, since, limit: NEWS_LIMIT, live: mode === "live" }),
  ]);
  const modelBars = inputBars(bars);
  const query = news.slice(0, QUERY_HEADLINES).map((item) => item.title).join("\n");
  const ownIds = new Set(news.map((item) => item.id));
  // The stock's own recent items would be their own nearest neighbours: ask for extra, drop them.
  const similar = similarK > 0 && query
    ? (await findSimilarNews(ports, { text: query, asOf, k: Math.min(50, similarK + ownIds.size) }))
      .filter((item) => !ownIds.has(item.id)).slice(0, similarK)
    : [];
  return {
    stock: {
      id: stock.id,
      symbol: stock.symbol,
      name: stock.name,
      exchange: stock.exchange,
      assetClass: stock.assetClass,
    },
    asOf,
    horizon,
    mode,
    bars: modelBars,
    indicators: computeIndicators(modelBars),
    news: news.map((item) => ({
      id: item.id,
      title: item.title,
      summary: item.summary,
      source: item.source,
      publishedAt: item.publishedAt,
    })),
    similar,
    retrieval: { k: similarK, embedder: ports.embedder.id, query },
  };
}

/** Hashes of the inputs, whole and per part: the look-ahead check names the part that changed. */
export interface InputsFingerprint {
  all: string;
  bars: string;
  news: string;
  similar: string;
}

export async function fingerprintInputs(inputs: ModelInputs): Promise<InputsFingerprint> {
  // JSON.stringify writes Dates as ISO strings and keeps key order, which is fixed above.
  const [bars, news, similar] = await Promise.all([
    sha256Hex(JSON.stringify(inputs.bars)),
    sha256Hex(JSON.stringify(inputs.news)),
    sha256Hex(JSON.stringify({ similar: inputs.similar, retrieval: inputs.retrieval })),
  ]);
  return { all: await sha256Hex(`${bars}:${news}:${similar}`), bars, news, similar };
}
