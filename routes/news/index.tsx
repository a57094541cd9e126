// News search: a GET form (the /api/news/search parameters q, symbol, before) finding earlier news
// like a text, point in time exactly as the API (nothing published at or after `before`), each
// result with what its stock did 1 and 5 trading days later; and the latest matched news known by
// then, for the same stock when one is given.
import { SimilarNewsList } from "../../components/SimilarNewsList.tsx";
import { UtcTime } from "../../components/UtcTime.tsx";
import { MAX_QUERY_LENGTH, searchUnavailable } from "../../lib/api/news.ts";
import { define } from "../../lib/fresh/define.ts";
import { HttpError } from "../../lib/http/errors.ts";
import { QueryParams } from "../../lib/http/query.ts";
import { listNews, type StoredNews } from "../../lib/news/store.ts";
import { findSimilarNews, knownAsOf, type SimilarNews } from "../../lib/similar/similar_news.ts";
import { StockLink } from "../../components/StockLink.tsx";

const RESULTS = 10;
const LATEST = 20;

interface Search {
  q?: string;
  symbol?: string;
  /** The `before` day as typed (YYYY-MM-DD). */
  before?: string;
}

interface NewsData {
  search: Search;
  /** The instant searched as of: `before`, or the time of the request. */
  asOf: Date;
  /** Null when nothing was searched for, or the search failed (`problem` says why). */
  results: SimilarNews[] | null;
  problem: string | null;
  latest: StoredNews[];
}

export const handler = define.handlers<NewsData>({
  async GET(req, ctx) {
    const query = QueryParams.of(req.url);
    const search: Search = {
      q: query.text("q", MAX_QUERY_LENGTH),
      symbol: query.symbol("symbol"),
      before: query.date("before"),
    };
    const asOf = knownAsOf(search.before ? new Date(`${search.before}T00:00:00Z`) : new Date());
    const app = ctx.state.app;
    let results: SimilarNews[] | null = null;
    let problem: { status: number; message: string } | null = null;
    if (search.q) {
      try {
        results = await findSimilarNews(
          { sql: app.db.sql, vectors: app.vectors, embedder: app.embedder },
          { text: search.q, asOf, k: RESULTS, symbol: search.symbol },
        ).catch(searchUnavailable);
      } catch (error) {
        // Said next to the form, where it can be fixed (an unknown stock, search down).
        if (!(error instanceof HttpError)) throw error;
        problem = { status: error.status, message: error.message };
      }
    }
    const latest = await listNews(app.db.sql, {
      symbol: search.symbol,
      to: new Date(asOf.getTime() - 1),
      limit: LATEST,
    });
    return ctx.render(
      { search, asOf, results, problem: problem?.message ?? null, latest },
      { status: problem?.status ?? 200 },
    );
  },
});

function SearchForm({ search }: { search: Search }) {
  return (
    <form class="filter-form news-search" method="get" action="/news" role="search">
      <label class="news-query">
        News like
        <input
          name="q"
          type="search"
          value={search.q ?? ""}
          maxLength={MAX_QUERY_LENGTH}
          placeholder="chip maker beats earnings"
        />
      </label>
      <label>
        Stock
        <input name="symbol" type="text" value={search.symbol ?? ""} placeholder="AAPL" />
      </label>
      <label>
        Published before
        <input name="before" type="date" value={search.before ?? ""} />
      </label>
      <div class="filter-actions">
        <button type="submit">Search</button>
        <a href="/news">Clear</a>
      </div>
    </form>
  );
}

function LatestNews({ items }: { items: StoredNews[] }) {
  if (items.length === 0) return <p>No news yet.</p>;
  return (
    <ul class="news-list">
      {items.map((item) => (
        <li key={item.id}>
          <a href={item.url} rel="noopener noreferrer">{item.title}</a>
          <span class="news-meta">
            {item.source} · <UtcTime date={item.publishedAt} />
            {item.publishedAtEstimated ? " (time estimated)" : ""} · {item.symbols.length === 0
              ? "no stock matched"
              : item.symbols.map((symbol, index) => (
                <span key={symbol}>
                  {index > 0 ? ", " : ""}
                  <StockLink symbol={symbol} />
                </span>
              ))}
          </span>
        </li>
      ))}
    </ul>
  );
}

export default define.page<NewsData>(({ data }) => {
  const { search, asOf, results, problem, latest } = data;
  const when = search.before ? `published before ${search.before}` : "published so far";
  return (
    <>
      <div class="page-heading">
        <h1>News</h1>
      </div>
      <p>
        Find earlier news like a headline or a phrase, and see what the stock did after each item.
        Only news published before the chosen day counts, as a model predicting that day would have
        seen it.
      </p>
      <SearchForm search={search} />
      {problem !== null && <p class="message-inline" role="alert">{problem}</p>}
      {results !== null && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">News like “{search.q}”</h2>
          <p class="muted">
            {search.symbol ? `Linked to ${search.symbol}, ` : ""}
            {when} (as of <UtcTime date={asOf} />), most similar first.
          </p>
          {results.length === 0
            ? <p>Nothing like it was published by then.</p>
            : <SimilarNewsList items={results} />}
        </section>
      )}
      <section aria-labelledby="latest-title">
        <h2 id="latest-title">
          Latest news{search.symbol ? ` about ${search.symbol}` : ""}
          {search.before ? ` before ${search.before}` : ""}
        </h2>
        <LatestNews items={latest} />
      </section>
    </>
  );
});
