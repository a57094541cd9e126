// The top of the model leaderboard on the dashboard: the best few models by win rate, whether each
// has earned trust, and the way to the full board.
import { viewParams, withQuery } from "../lib/api/evaluations_params.ts";
import type { LeaderboardSummary as Summary } from "../lib/overview/dashboard.ts";
import { IntervalLabel } from "./IntervalLabel.tsx";
import { MetricValue } from "./MetricValue.tsx";

export function LeaderboardSummary({ board }: { board: Summary }) {
  const full = withQuery("/models", viewParams({ mode: board.mode }));
  return (
    <section class="panel panel-wide" aria-labelledby="leaders-title">
      <h2 id="leaders-title">Model leaderboard</h2>
      {board.standings.length === 0
        ? (
          <p>
            No model has scored predictions yet: predictions are scored once their horizon has
            passed. <a href={full}>Open the leaderboard</a>
          </p>
        )
        : (
          <>
            <div class="table-scroll">
              <table class="data-table">
                <caption>
                  {board.mode === "live" ? "Live" : "Replayed"}{" "}
                  clean predictions, all time, ranked by win rate.
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="number">Rank</th>
                    <th scope="col">Model</th>
                    <th scope="col" class="number">Predictions</th>
                    <th scope="col" class="number">Win rate (95% interval)</th>
                    <th scope="col" class="number">Mean return</th>
                  </tr>
                </thead>
                <tbody>
                  {board.standings.map(({ rank, model, metrics, trusted }) => (
                    <tr key={model.id}>
                      <td class="number">{rank}</td>
                      <th scope="row">
                        <a
                          href={withQuery(`/models/${model.id}`, viewParams({ mode: board.mode }))}
                        >
                          {model.name}
                        </a>
                        {trusted ? " " : null}
                        {trusted ? <span class="badge badge-live">trusted</span> : null}
                      </th>
                      <td class="number">
                        <MetricValue value={metrics.n} kind="count" />
                      </td>
                      <td class="number">
                        <IntervalLabel interval={metrics.winRate} />
                      </td>
                      <td class="number">
                        <MetricValue value={metrics.meanStrategyReturn} kind="return" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>
              <a href={full}>The full leaderboard</a>, with every metric and whether the leader's
              lead is more than chance.
            </p>
          </>
        )}
    </section>
  );
}
