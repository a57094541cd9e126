// A model's record per stock: how often it was right on each, what following it earned there and
// what simply holding the stock earned over the same windows.
import { type EvaluationView, predictionsHref } from "../lib/api/evaluations_params.ts";
import type { StockStanding } from "../lib/api/evaluations_report.ts";
import { MetricValue } from "./MetricValue.tsx";
import { StockLink } from "./StockLink.tsx";

export function StockRecordTable(
  { model, stocks, view, periodStart }: {
    model: string;
    stocks: readonly StockStanding[];
    view: EvaluationView;
    periodStart: string | null;
  },
) {
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption class="visually-hidden">{model}'s record per stock, most predicted first</caption>
        <thead>
          <tr>
            <th scope="col">Stock</th>
            <th scope="col" class="number">Predictions</th>
            <th scope="col" class="number">Wins</th>
            <th scope="col" class="number">Losses</th>
            <th scope="col" class="number">Flats</th>
            <th scope="col" class="number">Win rate</th>
            <th scope="col" class="number">Mean return</th>
            <th scope="col" class="number">Holding it</th>
          </tr>
        </thead>
        <tbody>
          {stocks.map((stock) => (
            <tr key={stock.stockId}>
              <th scope="row">
                <StockLink symbol={stock.symbol} /> <span class="muted">{stock.name}</span>
              </th>
              <td class="number">
                <MetricValue
                  value={stock.n}
                  kind="count"
                  href={predictionsHref({ model, view, periodStart, symbol: stock.symbol })}
                />
              </td>
              <td class="number">{stock.wins}</td>
              <td class="number">{stock.losses}</td>
              <td class="number">{stock.flats}</td>
              <td class="number">
                <MetricValue value={stock.winRate} kind="rate" />
              </td>
              <td class="number">
                <MetricValue value={stock.meanStrategyReturn} kind="return" />
              </td>
              <td class="number">
                <MetricValue value={stock.meanReturn} kind="return" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
