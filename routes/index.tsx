import type { AppContext } from "../lib/context.ts";
import { type DataCounts, dataCounts } from "../lib/overview/store.ts";
import { define } from "../lib/fresh/define.ts";

interface Badge {
  label: string;
  /** "live" for a production adapter, "local" for an embedded or offline one. */
  tone: "live" | "local";
}

interface DashboardData {
  /** Null when the tables don't exist yet (migrations not applied). */
  counts: DataCounts | null;
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
    return ctx.render({ counts: await dataCounts(app.db.sql), badges: adapterBadges(app) });
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
  const { counts, badges } = data;
  // The default universe exists from the first start: "empty" means no market data yet.
  const empty = counts === null || (counts.priceBars === 0 && counts.news === 0);
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
        <section aria-labelledby="counts-title">
          <h2 id="counts-title" class="visually-hidden">What Craveny knows</h2>
          <dl class="stats">
            {COUNT_LABELS.map(([key, label]) => (
              <div key={key} class="stat">
                <dt>{label}</dt>
                <dd>{counts[key].toLocaleString("en-US")}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </>
  );
});
