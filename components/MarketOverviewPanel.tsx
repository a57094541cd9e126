// The market's latest day: the index ETF, how many stocks rose and fell (in numbers and a bar
// whose parts are labelled, so colour is never the only cue), and the biggest movers.
import type { DayMove, MarketOverview } from "../lib/overview/market.ts";
import { ChangeLabel } from "./ChangeLabel.tsx";
import { StockLink } from "./StockLink.tsx";

function Movers({ title, moves }: { title: string; moves: DayMove[] }) {
  if (moves.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul class="movers">
        {moves.map((move) => (
          <li key={move.symbol}>
            <StockLink symbol={move.symbol} /> <ChangeLabel change={move.change} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function MarketOverviewPanel({ market }: { market: MarketOverview }) {
  const { index, advancers, decliners, unchanged } = market;
  const total = advancers + decliners + unchanged;
  const share = (count: number) => `${total === 0 ? 0 : (count / total) * 100}%`;
  return (
    <section class="panel" aria-labelledby="market-title">
      <h2 id="market-title">Market on {market.day}</h2>
      <dl class="stats">
        {index && (
          <div class="stat">
            <dt>{index.symbol} (index ETF)</dt>
            <dd>
              {index.close.toFixed(2)} <ChangeLabel change={index.change} />
            </dd>
          </div>
        )}
        <div class="stat">
          <dt>Stocks up</dt>
          <dd>{advancers}</dd>
        </div>
        <div class="stat">
          <dt>Stocks down</dt>
          <dd>{decliners}</dd>
        </div>
        <div class="stat">
          <dt>Unchanged</dt>
          <dd>{unchanged}</dd>
        </div>
      </dl>
      {total > 0 && (
        <div class="breadth-bar" aria-hidden="true">
          <span class="breadth-up" style={`width:${share(advancers)}`}>▲ {advancers}</span>
          <span class="breadth-flat" style={`width:${share(unchanged)}`} />
          <span class="breadth-down" style={`width:${share(decliners)}`}>▼ {decliners}</span>
        </div>
      )}
      <div class="movers-grid">
        <Movers title="Biggest gains" moves={market.gainers} />
        <Movers title="Biggest falls" moves={market.losers} />
      </div>
    </section>
  );
}
