// The calls that matter most today: the most confident up/down calls of the latest predicted day
// by models that have earned trust, with the rule spelled out.
import type { ListedPrediction } from "../lib/predictions/query.ts";
import { TRUST_RULE_TEXT } from "../lib/overview/trust.ts";
import { DirectionLabel } from "./DirectionLabel.tsx";
import { Confidence, Horizon } from "./PredictionFacts.tsx";
import { formatUtc } from "./UtcTime.tsx";
import { StockLink } from "./StockLink.tsx";

export function StrongestSignals(
  { signals, trustedCount }: { signals: ListedPrediction[]; trustedCount: number },
) {
  return (
    <section class="panel panel-wide" aria-labelledby="signals-title">
      <h2 id="signals-title">Today's strongest signals</h2>
      <p class="muted">
        The most confident up and down calls as of each stock's latest close, from models that have
        earned trust.
      </p>
      <details class="trust-rule">
        <summary>How a model earns trust</summary>
        <p>{TRUST_RULE_TEXT}</p>
      </details>
      {signals.length > 0
        ? (
          <div class="table-scroll">
            <table class="data-table">
              <caption class="visually-hidden">Strongest signals, most confident first</caption>
              <thead>
                <tr>
                  <th scope="col">Stock</th>
                  <th scope="col">Call</th>
                  <th scope="col" class="number">Confidence</th>
                  <th scope="col">Over</th>
                  <th scope="col">Model</th>
                  <th scope="col">As of the close of</th>
                </tr>
              </thead>
              <tbody>
                {signals.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <StockLink symbol={p.symbol} />
                    </td>
                    <td>
                      <DirectionLabel direction={p.direction} />
                    </td>
                    <td class="number">
                      <Confidence value={p.confidence} />
                    </td>
                    <td>
                      <Horizon days={p.horizon} />
                    </td>
                    <td>{p.model.name}</td>
                    <td>
                      <time dateTime={p.asOf.toISOString()} title={formatUtc(p.asOf)}>
                        {p.asOf.toISOString().slice(0, 10)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
        : (
          <p>
            {trustedCount === 0
              ? "No model has earned trust yet, so no call is highlighted. "
              : "The trusted models made no up or down call on the latest predicted day. "}
            <a href="/models">See how every model is doing</a> or{" "}
            <a href="/predictions?mode=live">browse all live predictions</a>.
          </p>
        )}
    </section>
  );
}
