-- Craveny's data model (DESIGN.md §4). Applied in one transaction by lib/db/migrate.ts.
--
-- Conventions
-- * Every table has `id bigint generated always as identity primary key`; postgres.js returns
--   bigint as a JS number (lib/db/client.ts).
-- * Instants are timestamptz (sessions run in UTC); trading days are `date` ("YYYY-MM-DD" in JS).
-- * Prices, returns, scores and costs are double precision: they feed statistics (returns, Sharpe,
--   Brier), never ledgers, so 15–17 significant digits is more than any quote source provides;
--   they arrive in JS as numbers without parsing, while numeric would arrive as strings. The
--   `< 'Infinity'` checks also reject NaN, which Postgres sorts above every number.
-- * Enumerations are text with a CHECK, so adding a value is a one-line migration.

-- Accounts and sessions ---------------------------------------------------------------------

create table app_user (
  id bigint generated always as identity primary key,
  -- Stored lower-cased and trimmed, so the unique constraint is case-insensitive.
  email text not null constraint app_user_email_key unique
    constraint app_user_email_check check (email = lower(btrim(email)) and email like '%_@_%'),
  password_hash text not null,
  role text not null default 'investor' check (role in ('investor', 'admin')),
  display_name text,
  -- Telegram private chat linked to this account (alerts); group chat ids are negative.
  telegram_chat_id bigint constraint app_user_telegram_chat_id_key unique,
  telegram_linked_at timestamptz,
  disabled_at timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((telegram_chat_id is null) = (telegram_linked_at is null))
);

-- One row per refresh token. Rotation inserts a new row in the same family and stamps
-- rotated_at on the old one; presenting a rotated token again revokes the whole family.
create table session (
  id bigint generated always as identity primary key,
  user_id bigint not null references app_user (id) on delete cascade,
  family uuid not null,
  -- Only a hash of the token is stored: a database leak must not hand out sessions.
  refresh_token_hash text not null constraint session_refresh_token_hash_key unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_used_at timestamptz,
  rotated_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text
    check (revoked_reason in ('logout', 'reuse_detected', 'admin', 'password_changed', 'expired')),
  user_agent text,
  ip text,
  check (expires_at > created_at),
  check ((revoked_at is null) = (revoked_reason is null))
);
create index session_user_idx on session (user_id);
create index session_family_idx on session (family);

-- Market data ---------------------------------------------------------------------------------

create table stock (
  id bigint generated always as identity primary key,
  -- Upper-case ticker as the sources spell it (AAPL, BRK-B, 005930.KS, BTC-USD, ^GSPC); unique
  -- on its own so pages can address a stock by symbol alone.
  symbol text not null constraint stock_symbol_key unique
    constraint stock_symbol_check check (symbol ~ '^[A-Z0-9^][A-Z0-9.^=_-]{0,23}$'),
  exchange text not null check (exchange <> ''),
  name text not null check (name <> ''),
  -- Extra names for news matching (e.g. 'Apple', 'iPhone maker'); symbol and name always match.
  aliases text[] not null default '{}',
  asset_class text not null default 'equity' check (asset_class in ('equity', 'crypto')),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One daily bar per stock and trading day.
create table price_bar (
  id bigint generated always as identity primary key,
  stock_id bigint not null references stock (id) on delete cascade,
  date date not null,
  open double precision not null check (open > 0 and open < 'Infinity'),
  high double precision not null check (high > 0 and high < 'Infinity'),
  low double precision not null check (low > 0 and low < 'Infinity'),
  close double precision not null check (close > 0 and close < 'Infinity'),
  -- Split- and dividend-adjusted close; returns are computed from it when present.
  adj_close double precision check (adj_close > 0 and adj_close < 'Infinity'),
  -- Fractional for crypto, hence not bigint.
  volume double precision check (volume >= 0 and volume < 'Infinity'),
  -- When the bar closed (exchange close in UTC; 00:00Z for crypto days): the point-in-time
  -- rule "bar close <= as_of" compares against this, not against `date`.
  closed_at timestamptz not null,
  source text not null check (source <> ''),
  fetched_at timestamptz not null default now(),
  check (low <= high),
  -- Also the (stock, date) index every price lookup uses.
  constraint price_bar_stock_date_key unique (stock_id, date)
);

-- News ---------------------------------------------------------------------------------------

create table news (
  id bigint generated always as identity primary key,
  url text not null constraint news_url_key unique check (url ~ '^https?://'),
  -- Hash of the normalised title and body: the same story under two URLs is stored once.
  content_hash text not null constraint news_content_hash_key unique check (content_hash <> ''),
  title text not null,
  summary text,
  source text not null check (source <> ''),
  language text,
  published_at timestamptz not null,
  fetched_at timestamptz not null default now(),
  -- Where the raw payload sits in the raw archive (file path or object key).
  raw_ref text,
  -- Embedder (name and dimension, e.g. 'openai:text-embedding-3-small:1536') of the vector
  -- in the vector store; a different current embedder means "embed again".
  embedded_with text,
  embedded_at timestamptz,
  check ((embedded_with is null) = (embedded_at is null))
);
create index news_published_idx on news (published_at desc, id desc);
-- The embed job's work list while the embedder is unchanged.
create index news_unembedded_idx on news (id) where embedded_with is null;

-- Which stocks a news item is about (the seed's `match`).
create table news_stock (
  id bigint generated always as identity primary key,
  news_id bigint not null references news (id) on delete cascade,
  stock_id bigint not null references stock (id) on delete cascade,
  -- Match confidence from 0 to 1.
  score double precision not null default 1 check (score >= 0 and score <= 1),
  -- What matched: the symbol, the name or an alias.
  matched_on text,
  constraint news_stock_news_stock_key unique (news_id, stock_id)
);
create index news_stock_stock_idx on news_stock (stock_id, news_id desc);

-- Models and A/B tests -------------------------------------------------------------------------

create table model (
  id bigint generated always as identity primary key,
  name text not null check (name <> ''),
  provider text not null check (provider in ('builtin', 'openai', 'openrouter')),
  -- Provider's model name ('gpt-4o-mini', 'anthropic/claude-…') or the built-in model's key.
  model_id text not null check (model_id <> ''),
  description text,
  -- Null for built-in quantitative models.
  prompt_template text,
  prompt_version integer not null default 1 check (prompt_version > 0),
  params jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
  -- Predictions with as_of before this day are flagged `contaminated`.
  knowledge_cutoff date,
  active boolean not null default true,
  -- US dollars per token.
  input_token_cost double precision not null default 0
    check (input_token_cost >= 0 and input_token_cost < 'Infinity'),
  output_token_cost double precision not null default 0
    check (output_token_cost >= 0 and output_token_cost < 'Infinity'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- A changed prompt is a new version: predictions keep pointing at the prompt they used.
  constraint model_name_prompt_version_key unique (name, prompt_version)
);

-- (the seed's `ab_test_config`)
create table ab_test (
  id bigint generated always as identity primary key,
  name text not null constraint ab_test_name_key unique check (name <> ''),
  description text,
  -- [{ "name": "A", "modelId": 1, "weight": 0.5 }, …]
  variants jsonb not null check (jsonb_typeof(variants) = 'array'),
  status text not null default 'draft'
    check (status in ('draft', 'running', 'paused', 'completed', 'cancelled')),
  starts_at timestamptz,
  ends_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at)
);

-- Predictions and their evaluation -----------------------------------------------------------------

create table prediction (
  id bigint generated always as identity primary key,
  -- Restrict: predictions are the record of what a model said; retire a model with active=false.
  model_id bigint not null references model (id) on delete restrict,
  stock_id bigint not null references stock (id) on delete restrict,
  -- The prediction may only use data available at this instant (DESIGN.md §5).
  as_of timestamptz not null,
  -- Trading days from the first close after as_of.
  horizon integer not null check (horizon between 1 and 366),
  direction text not null check (direction in ('up', 'down', 'flat')),
  confidence double precision not null check (confidence >= 0 and confidence <= 1),
  reasoning text,
  -- news.id values the model was shown; an array because they are only ever read together.
  cited_news_ids bigint[] not null default '{}',
  ab_test_id bigint references ab_test (id) on delete set null,
  variant text,
  mode text not null check (mode in ('live', 'replay')),
  -- as_of before the model's knowledge cutoff: it may remember the outcome.
  contaminated boolean not null default false,
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  -- US dollars.
  cost double precision check (cost >= 0 and cost < 'Infinity'),
  latency_ms integer check (latency_ms >= 0),
  -- Embedder of this prediction's vector (see news.embedded_with).
  embedded_with text,
  created_at timestamptz not null default now(),
  constraint prediction_model_stock_as_of_horizon_key unique (model_id, stock_id, as_of, horizon)
);
create index prediction_stock_as_of_idx on prediction (stock_id, as_of desc);
create index prediction_model_as_of_idx on prediction (model_id, as_of desc);
create index prediction_created_idx on prediction (created_at);
create index prediction_ab_test_idx on prediction (ab_test_id, variant) where ab_test_id is not null;

create table prediction_outcome (
  id bigint generated always as identity primary key,
  prediction_id bigint not null constraint prediction_outcome_prediction_key unique
    references prediction (id) on delete cascade,
  -- First close after as_of, and the close `horizon` trading days later.
  entry_date date not null,
  exit_date date not null,
  entry_close double precision not null check (entry_close > 0 and entry_close < 'Infinity'),
  exit_close double precision not null check (exit_close > 0 and exit_close < 'Infinity'),
  realized_return double precision not null check (realized_return > -1 and realized_return < 'Infinity'),
  result text not null check (result in ('win', 'loss', 'flat')),
  -- |return| below this counted as flat when the outcome was labelled.
  flat_threshold double precision not null check (flat_threshold >= 0 and flat_threshold < 1),
  evaluated_at timestamptz not null default now(),
  check (exit_date > entry_date)
);
create index prediction_outcome_evaluated_idx on prediction_outcome (evaluated_at);

-- Metric snapshots per model and window (the seed's `evaluation_history`).
create table evaluation (
  id bigint generated always as identity primary key,
  model_id bigint not null references model (id) on delete cascade,
  -- Null: all variants / all stocks / all time.
  variant text,
  stock_id bigint references stock (id) on delete cascade,
  window_days integer check (window_days > 0),
  period_start date,
  period_end date,
  mode text not null default 'all' check (mode in ('all', 'live', 'replay')),
  -- Whether contaminated predictions were counted (they are reported separately).
  includes_contaminated boolean not null default false,
  n integer not null check (n >= 0),
  -- Win rate, Wilson interval, p-value, Sharpe, Sortino, drawdown, Brier, calibration, IC …
  metrics jsonb not null check (jsonb_typeof(metrics) = 'object'),
  computed_at timestamptz not null default now(),
  check (period_end >= period_start)
);
create index evaluation_model_computed_idx on evaluation (model_id, computed_at desc);

create table daily_performance (
  id bigint generated always as identity primary key,
  model_id bigint not null references model (id) on delete cascade,
  date date not null,
  n integer not null check (n >= 0),
  wins integer not null check (wins >= 0),
  losses integer not null check (losses >= 0),
  flats integer not null check (flats >= 0),
  -- Mean strategy return of the predictions resolved that day, and the running total.
  strategy_return double precision not null check (strategy_return < 'Infinity' and strategy_return > '-Infinity'),
  cumulative_return double precision not null check (cumulative_return < 'Infinity' and cumulative_return > '-Infinity'),
  metrics jsonb not null default '{}' check (jsonb_typeof(metrics) = 'object'),
  updated_at timestamptz not null default now(),
  check (wins + losses + flats = n),
  constraint daily_performance_model_date_key unique (model_id, date)
);

-- Alerts ---------------------------------------------------------------------------------------

create table alert_subscription (
  id bigint generated always as identity primary key,
  -- Null for a chat that subscribed through the bot without an account.
  user_id bigint references app_user (id) on delete cascade,
  chat_id bigint not null,
  -- Null: any stock / any model / any direction.
  stock_id bigint references stock (id) on delete cascade,
  model_id bigint references model (id) on delete cascade,
  direction text check (direction in ('up', 'down', 'flat')),
  min_confidence double precision not null default 0.7
    check (min_confidence >= 0 and min_confidence <= 1),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint alert_subscription_chat_stock_model_key
    unique nulls not distinct (chat_id, stock_id, model_id, direction)
);
create index alert_subscription_user_idx on alert_subscription (user_id);
create index alert_subscription_stock_idx on alert_subscription (stock_id);

-- Transactional outbox: rows are written with the prediction and dispatched by the alerts job.
create table alert_outbox (
  id bigint generated always as identity primary key,
  subscription_id bigint references alert_subscription (id) on delete cascade,
  prediction_id bigint references prediction (id) on delete cascade,
  chat_id bigint not null,
  -- e.g. 'prediction:123:chat:456': a re-run job inserts nothing new (on conflict do nothing).
  idempotency_key text not null constraint alert_outbox_idempotency_key_key unique,
  payload jsonb not null,
  -- 'sending' is a lease until next_attempt_at, so a crashed dispatcher's rows come back.
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'sent') = (sent_at is not null))
);
create index alert_outbox_due_idx on alert_outbox (status, next_attempt_at);
create index alert_outbox_subscription_idx on alert_outbox (subscription_id);
create index alert_outbox_prediction_idx on alert_outbox (prediction_id);

-- Jobs ---------------------------------------------------------------------------------------------

create table job_run (
  id bigint generated always as identity primary key,
  job text not null check (job <> ''),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null default 'running'
    check (status in ('running', 'succeeded', 'failed', 'skipped', 'interrupted')),
  counts jsonb not null default '{}' check (jsonb_typeof(counts) = 'object'),
  error text,
  -- 'hostname:pid' of the process that ran it.
  host text,
  check ((status = 'running') = (finished_at is null)),
  check (finished_at >= started_at)
);
create index job_run_job_started_idx on job_run (job, started_at desc);
-- At most one run of a job at a time, whatever the cache locks say.
create unique index job_run_one_running_key on job_run (job) where status = 'running';
