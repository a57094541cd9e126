// The stock universe with each stock's latest close; a plain GET form filters it without JS.
import { define } from "../../lib/fresh/define.ts";
import { QueryParams } from "../../lib/http/query.ts";
import { latestQuotes, type Quote } from "../../lib/market/store.ts";
import type { Stock } from "../../lib/stocks/stock.ts";
import { listStocks } from "../../lib/stocks/store.ts";
import { ChangeLabel } from "../../components/ChangeLabel.tsx";
import { StockLink } from "../../components/StockLink.tsx";

/** Longest search the form sends (the input's maxlength) and the handler accepts. */
const MAX_QUERY = 50;

interface StocksData {
  q: string;
  rows: { stock: Stock; quote: Quote | null }[];
}

export const handler = define.handlers<StocksData>({
  async GET(req, ctx) {
    const q = QueryParams.of(req.url).text("q", MAX_QUERY) ?? "";
    const sql = ctx.state.app.db.sql;
    const [stocks, quotes] = await Promise.all([
      listStocks(sql, { activeOnly: true }),
      latestQuotes(sql),
    ]);
    const needle = q.toLowerCase();
    const rows = stocks
      .filter((stock) =>
        !needle ||
        [stock.symbol, stock.name, ...stock.aliases].some((text) =>
          text.toLowerCase().includes(needle)
        )
      )
      .map((stock) => ({ stock, quote: quotes.get(stock.id) ?? null }));
    return ctx.render({ q, rows });
  },
});

export default define.page<StocksData>(({ data: { q, rows } }) => (
  <>
    <div class="page-heading">
      <h1>Stocks</h1>
    </div>
    <form class="search-form" method="get" action="/stocks" role="search">
      <label class="visually-hidden" for="stock-search">Search stocks</label>
      <input
        id="stock-search"
        name="q"
        type="search"
        value={q}
        maxLength={MAX_QUERY}
        placeholder="Symbol or name"
      />
      <button type="submit">Search</button>
    </form>
    {rows.length === 0
      ? <p>{q ? `No active stock matches “${q}”.` : "No active stocks yet."}</p>
      : (
        <div class="table-scroll">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Name</th>
                <th scope="col" class="number">Last close</th>
                <th scope="col" class="number">Day change</th>
                <th scope="col">As of</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ stock, quote }) => (
                <tr key={stock.id}>
                  <td>
                    <StockLink symbol={stock.symbol} />
                  </td>
                  <td>{stock.name}</td>
                  <td class="number">{quote ? quote.close.toFixed(2) : "—"}</td>
                  <td class="number">
                    {quote?.previousClose
                      ? <ChangeLabel from={quote.previousClose} to={quote.close} />
                      : "—"}
                  </td>
                  <td>{quote?.date ?? "no prices yet"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
  </>
));
