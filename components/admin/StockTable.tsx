// Every stock, active or not, with its description and a button to switch crawling and
// predicting it on or off.
import type { Stock } from "../../lib/stocks/stock.ts";
import { PostButton } from "./PostForm.tsx";
import { adminStockPath } from "../../lib/stocks/paths.ts";

export function StockTable({ stocks, csrf }: { stocks: readonly Stock[]; csrf: string }) {
  return (
    <div class="table-scroll">
      <table class="data-table admin-table">
        <caption class="visually-hidden">Stocks, active and inactive</caption>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Name</th>
            <th scope="col">Exchange</th>
            <th scope="col">Class</th>
            <th scope="col">Currency</th>
            <th scope="col">Aliases</th>
            <th scope="col">Status</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {stocks.map((stock) => (
            <tr key={stock.id}>
              <th scope="row">
                <a href={adminStockPath(stock.symbol)}>{stock.symbol}</a>
              </th>
              <td>{stock.name}</td>
              <td>{stock.exchange}</td>
              <td>{stock.assetClass}</td>
              <td>{stock.currency}</td>
              <td>{stock.aliases.join(", ")}</td>
              <td>{stock.active ? "Active" : "Inactive"}</td>
              <td>
                <PostButton
                  action="/admin/stocks"
                  intent="set-active"
                  csrf={csrf}
                  fields={{ symbol: stock.symbol, active: String(!stock.active) }}
                  label={stock.active ? "Deactivate" : "Activate"}
                  subject={stock.symbol}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
