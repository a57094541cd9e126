// The dashboard: the market's last day, today's strongest signals from models that have earned
// trust, the newest live predictions (kept current by the LiveSignals island), a leaderboard
// summary, which adapters are live and how much data there is.
import { LeaderboardSummary } from "../components/LeaderboardSummary.tsx";
import { MarketOverviewPanel } from "../components/MarketOverviewPanel.tsx";
import { StrongestSignals } from "../components/StrongestSignals.tsx";
import LiveSignals from "../islands/LiveSignals.tsx";
import type { AppContext } from "../lib/context.ts";
import { define } from "../lib/fresh/define.ts";
import { type Dashboard, LIVE_LIST_LENGTH, loadDashboard } from "../lib/overview/dashboard.ts";
import type { DataCounts } from "../lib/overview/store.ts";

interface Badge {
  label: string;
  /** "live" for a production adapter, "local" for an embedded or offline one. */
  tone: "live" | "local";
}

interface DashboardData {
  dashboard: Dashboard;
  badges: Badge[];
}

function adapterBadges(app: AppContext): Badge[] {
  return [
    app.db.kind === "postgres"
      ? { label: "PostgreSQL", tone: "live" }
      : { label: "embedded database (PGlite)", tone: "local" },
    app.cache.kind === "redis"
      ? { label: "Redis cache", tone: "live" }
      : { label: "in-process cache", tone: "local" },
    app.config.openaiApiKey
      ? { label: "OpenAI models", tone: "live" }
      : { label: "offline models — no OpenAI key", tone: "local" },
  ];
}

export const handler = define.handlers<DashboardData>({
  async GET(_req, ctx) {
    const app = ctx.state.app;
    return ctx.render({ dashboard: await loadDashboard(app.db.sql), badges: adapterBadges(app) });
  },
});

const COUNT_LABELS: [keyof DataCounts, string][] = [
  ["stocks", "Stocks"],
  ["priceBars", "Daily price bars"],
  ["news", "News articles"],
  ["predictions", "Predictions"],
];

function EmptyState({ migrated }: { migrated: boolean }) {
  return (
    <section class="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No data yet</h2>
      {migrated ? null : (
        <p>
          The database tables don't exist yet. Create them with <code>deno task migrate</code>.
        </p>
      )}
      <p>Load some market data to get started:</p>
      <ul>
        <li>
          Import daily prices from a CSV file: <code>deno task import prices FILE</code>
        </li>
        <li>
          Or run the crawl job, which fetches prices and news from the configured sources:{" "}
          <code>deno task job crawl</code>
        </li>
      </ul>
      <p>Predictions and their evaluation appear once the scheduled jobs have run.</p>
    </section>
  );
}

export default define.page<DashboardData>(({ data }) => {
  const { dashboard, badges } = data;
  const { counts, market, models, signals, leaderboard, live } = dashboard;
  // The default universe exists from the first start: "empty" means no market data yet.
  const empty = counts === null || (counts.priceBars === 0 && counts.news === 0);
  const trusted = models.filter((m) => m.verdict.trusted).map((m) => m.model.name);
  return (
    <>
      <div class="page-heading">
        <h1>Dashboard</h1>
        <ul class="badges" aria-label="Active adapters">
          {badges.map((badge) => (
            <li key={badge.label} class={`badge badge-${badge.tone}`}>{badge.label}</li>
          ))}
        </ul>
      </div>
      {empty ? <EmptyState migrated={counts !== null} /> : (
        <>
          <div class="dashboard-grid">
            <StrongestSignals signals={signals} trustedCount={trusted.length} />
            {market && <MarketOverviewPanel market={market} />}
            <LiveSignals
              signals={live.signals}
              after={live.after}
              trusted={trusted}
              limit={LIVE_LIST_LENGTH}
            />
            <LeaderboardSummary board={leaderboard} />
          </div>
          <section aria-labelledby="counts-title">
            <h2 id="counts-title">What Craveny knows</h2>
            <dl class="stats">
              {COUNT_LABELS.map(([key, label]) => (
                <div key={key} class="stat">
                  <dt>{label}</dt>
                  <dd>{counts[key].toLocaleString("en-US")}</dd>
                </div>
              ))}
            </dl>
          </section>
        </>
      )}
    </>
  );
});
