// One stock: a year of closes with its 20-day average and where one model's calls turned
// (?calls=MODEL; by default the model of the most confident latest call) — a server-rendered SVG
// that its island makes interactive —, key indicators, each model's latest prediction, the latest
// matched news, and earlier news like one of them (?like=ID; the newest by default) with what the
// market did after each.
import { ChangeLabel } from "../../components/ChangeLabel.tsx";
import { formatMetric } from "../../components/MetricValue.tsx";
import { LatestPredictions } from "../../components/LatestPredictions.tsx";
import { PriceChart } from "../../components/PriceChart.tsx";
import { Select } from "../../components/Select.tsx";
import { SimilarNewsList } from "../../components/SimilarNewsList.tsx";
import { formatUtc } from "../../components/UtcTime.tsx";
import { callChanges, callMarkers } from "../../lib/charts/call_changes.ts";
import type { ChartMarker } from "../../lib/charts/series.ts";
import type { AppContext } from "../../lib/context.ts";
import { define } from "../../lib/fresh/define.ts";
import { NotFound } from "../../lib/http/errors.ts";
import { QueryParams } from "../../lib/http/query.ts";
import { rollingVolatility, rsi, sma } from "../../lib/market/indicators.ts";
import { type PriceBar, priceBars } from "../../lib/market/store.ts";
import { newsForStock, type StockNews } from "../../lib/news/store.ts";
import {
  latestPredictionsForStock,
  type ListedPrediction,
  type StockCall,
  stockCalls,
} from "../../lib/predictions/query.ts";
import type { Stock } from "../../lib/stocks/stock.ts";
import { getStock } from "../../lib/stocks/store.ts";
import { normalizeSymbol } from "../../lib/stocks/symbol.ts";
import { findSimilarNews, type SimilarNews } from "../../lib/similar/similar_news.ts";

/** About a year of trading days, plus the average's warm-up. */
const CHART_BARS = 252;
const AVERAGE_DAYS = 20;
const SIMILAR_K = 5;
/** Most models whose latest prediction is shown. */
const PREDICTING_MODELS = 20;

/** Earlier news like one of the stock's items; `results` is null when search is unavailable. */
interface LikeThis {
  item: StockNews;
  results: SimilarNews[] | null;
}

/** One model's turns, marked on the chart. */
interface MarkedCalls {
  /** Models that predicted this stock, to choose from. */
  models: string[];
  /** The model whose calls are marked; null when no model predicted the stock. */
  model: string | null;
  markers: ChartMarker[];
  horizon: number | null;
}

interface StockData {
  stock: Stock;
  bars: PriceBar[];
  averages: (number | null)[];
  calls: MarkedCalls;
  rsi14: number | null;
  volatility20: number | null;
  predictions: ListedPrediction[];
  news: StockNews[];
  likeThis: LikeThis | null;
}

/**
 * News like `item`, as of its own publication: what was already known when it came out, and what
 * the market did after each of those. Search being down costs the section, not the page.
 */
async function likeThis(app: AppContext, item: StockNews): Promise<LikeThis> {
  try {
    const ports = { sql: app.db.sql, vectors: app.vectors, embedder: app.embedder };
    const results = await findSimilarNews(ports, {
      newsId: item.id,
      asOf: item.publishedAt,
      k: SIMILAR_K,
    });
    return { item, results };
  } catch (error) {
    app.log.warn("similar news unavailable", { newsId: item.id, error });
    return { item, results: null };
  }
}

/** "momentum: ▲ up, 72%, over 1 trading day, as of 2024-03-04 (replay) — win +1.20%". */
function describeCall(model: string, call: StockCall): string {
  const days = call.horizon === 1 ? "1 trading day" : `${call.horizon} trading days`;
  const arrow = call.direction === "up" ? "▲" : call.direction === "down" ? "▼" : "▶";
  const outcome = call.outcome
    ? ` — ${call.outcome.result} ${formatMetric(call.outcome.realizedReturn, "return")}`
    : "";
  return `${model}: ${arrow} ${call.direction}, ${
    Math.round(call.confidence * 100)
  }%, over ${days}, ` +
    `as of ${call.asOf.toISOString().slice(0, 10)}${
      call.mode === "replay" ? " (replay)" : ""
    }${outcome}`;
}

/** The turns of `chosen` (else of the model with the most confident latest call) on the chart. */
async function markedCalls(
  app: AppContext,
  stock: Stock,
  bars: PriceBar[],
  latest: ListedPrediction[],
  chosen: string | undefined,
): Promise<MarkedCalls> {
  const models = latest.map((p) => p.model.name).sort();
  const confident = latest.filter((p) => p.direction !== "flat")
    .toSorted((a, b) => b.confidence - a.confidence)[0];
  const model = chosen ?? confident?.model.name ?? models[0] ?? null;
  if (model === null || bars.length === 0) return { models, model, markers: [], horizon: null };
  const calls = await stockCalls(app.db.sql, {
    stockId: stock.id,
    model,
    since: bars[0].closedAt,
  });
  const markers = callMarkers(
    bars.map((bar) => bar.closedAt),
    callChanges(calls),
    (call) => describeCall(model, call),
  );
  return { models, model, markers, horizon: calls[0]?.horizon ?? null };
}

export const handler = define.handlers<StockData>({
  async GET(req, ctx) {
    const query = QueryParams.of(req.url);
    const chosenModel = query.text("calls", 100);
    const like = query.integer("like", {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      fallback: 0,
    });
    const symbol = normalizeSymbol(ctx.params.symbol);
    const sql = ctx.state.app.db.sql;
    const stock = symbol === null ? null : await getStock(sql, symbol);
    if (!stock) throw new NotFound(`No stock with symbol ${ctx.params.symbol}`);
    const [history, predictions, news] = await Promise.all([
      priceBars(sql, stock.id, { limit: CHART_BARS + AVERAGE_DAYS }),
      latestPredictionsForStock(sql, stock.id, PREDICTING_MODELS),
      newsForStock(sql, stock.id, { limit: 20 }),
    ]);
    // An item with an estimated time has no vector: nothing could be said to be "earlier".
    const item = like
      ? news.find((entry) => entry.id === like)
      : news.find((entry) => !entry.publishedAtEstimated);
    if (like && !item) {
      throw new NotFound(`News item ${like} is not among ${stock.symbol}'s latest`);
    }
    const closes = history.map((bar) => bar.adjClose ?? bar.close);
    const averages = sma(closes, AVERAGE_DAYS);
    const start = Math.max(0, history.length - CHART_BARS);
    const bars = history.slice(start);
    return ctx.render({
      stock,
      bars,
      averages: averages.slice(start),
      calls: await markedCalls(ctx.state.app, stock, bars, predictions, chosenModel),
      rsi14: rsi(closes, 14).at(-1) ?? null,
      volatility20: rollingVolatility(closes, 20, { annualize: true }).at(-1) ?? null,
      predictions,
      news,
      likeThis: item && !item.publishedAtEstimated ? await likeThis(ctx.state.app, item) : null,
    });
  },
});

/** How news_stock.matched_on (lib/news/match.ts MatchedOn) reads in a sentence. */
const MATCHED_ON: Record<string, string> = {
  tagged: "the source's ticker tag",
  cashtag: "cashtag",
  symbol: "ticker symbol",
  name: "company name",
  alias: "alias",
};

function matchedOn(kind: string | null): string {
  return kind === null ? MATCHED_ON.tagged : MATCHED_ON[kind] ?? kind;
}

export default define.page<StockData>(({ data }) => {
  const { stock, bars, averages, calls, rsi14, volatility20, predictions, news, likeThis } = data;
  const last = bars.at(-1);
  const previous = bars.at(-2);
  return (
    <>
      <div class="page-heading">
        <h1>
          {stock.symbol} <small>{stock.name}</small>
        </h1>
        <ul class="badges" aria-label="Listing">
          <li class="badge badge-local">{stock.exchange}</li>
          <li class="badge badge-local">{stock.assetClass}</li>
          {stock.active ? null : <li class="badge badge-local">inactive</li>}
        </ul>
      </div>
      {last
        ? (
          <dl class="stats">
            <div class="stat">
              <dt>Last close ({last.date})</dt>
              <dd>{last.close.toFixed(2)} {stock.currency}</dd>
            </div>
            <div class="stat">
              <dt>Day change</dt>
              <dd>{previous ? <ChangeLabel from={previous.close} to={last.close} /> : "—"}</dd>
            </div>
            <div class="stat">
              <dt>RSI (14)</dt>
              <dd>{rsi14 === null ? "—" : rsi14.toFixed(0)}</dd>
            </div>
            <div class="stat">
              <dt>Volatility (20d, annualised)</dt>
              <dd>{volatility20 === null ? "—" : `${(volatility20 * 100).toFixed(1)}%`}</dd>
            </div>
          </dl>
        )
        : (
          <p>
            No prices for {stock.symbol} yet: run <code>deno task job crawl</code> or{" "}
            <code>deno task import prices FILE</code>.
          </p>
        )}
      <PriceChart
        symbol={stock.symbol}
        points={bars.map((bar, index) => ({
          date: bar.date,
          close: bar.adjClose ?? bar.close,
          average: averages[index],
        }))}
        averageLabel={`${AVERAGE_DAYS}-day average`}
        markers={calls.markers}
        markerLegend={calls.model && calls.horizon
          ? `Triangles: where ${calls.model}'s ${calls.horizon}-day call turned up (▲, below the ` +
            `line) or down (▼, above it).`
          : undefined}
      />
      {calls.models.length > 1 && (
        <form class="filter-form chart-calls" method="get" aria-label="Calls marked on the chart">
          <Select
            name="calls"
            label="Mark where this model's call turned"
            value={calls.model ?? ""}
            choices={calls.models.map((name) => ({ value: name, label: name }))}
          />
          <div class="filter-actions">
            <button type="submit">Show</button>
          </div>
        </form>
      )}
      <section aria-labelledby="predictions-title">
        <h2 id="predictions-title">Latest predictions</h2>
        {predictions.length === 0
          ? (
            <p>
              No model has predicted {stock.symbol} yet: run <code>deno task job predict</code>.
            </p>
          )
          : (
            <>
              <LatestPredictions predictions={predictions} />
              <p>
                <a href={`/predictions?symbol=${encodeURIComponent(stock.symbol)}`}>
                  All predictions for {stock.symbol}
                </a>
              </p>
            </>
          )}
      </section>
      <section aria-labelledby="news-title">
        <h2 id="news-title">Latest news</h2>
        {news.length === 0 ? <p>No news matched to {stock.symbol} yet.</p> : (
          <ul class="news-list">
            {news.map((item) => (
              <li key={item.id}>
                <a href={item.url} rel="noopener noreferrer">{item.title}</a>
                <span class="news-meta">
                  {item.source} · {formatUtc(item.publishedAt)}
                  {item.publishedAtEstimated ? " (time estimated)" : ""} · matched on{" "}
                  {matchedOn(item.matchedOn)}
                  {item.publishedAtEstimated || item.id === likeThis?.item.id ? null : (
                    <>
                      {" · "}
                      <a href={`?like=${item.id}#like-this`}>news like this</a>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {likeThis && (
        <section aria-labelledby="like-this">
          <h2 id="like-this">News like this</h2>
          <p>
            Earlier news most like “{likeThis.item.title}” (
            {formatUtc(likeThis.item.publishedAt)}), and how each stock moved afterwards.
          </p>
          {likeThis.results === null
            ? <p role="status">News search is unavailable right now.</p>
            : likeThis.results.length === 0
            ? <p>No earlier news is like it yet.</p>
            : <SimilarNewsList items={likeThis.results} />}
        </section>
      )}
    </>
  );
});
