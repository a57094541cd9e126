-- Telegram alerts (issue 8): chats the bot talks to, one-time account link codes, alert rules on
-- subscriptions, and an outbox the alerts job drains with every delivery attempt recorded.

-- A chat the bot has seen: private (positive id) or group (negative id). Deactivated on 403
-- (the bot was blocked or removed) or /stop; muted chats keep their alerts until the mute ends.
create table telegram_chat (
  chat_id bigint primary key,
  kind text not null check (kind in ('private', 'group', 'supergroup', 'channel')),
  -- Username or group title, for the admin console only.
  title text,
  active boolean not null default true,
  deactivated_reason text check (deactivated_reason in ('blocked', 'stopped', 'not_found')),
  deactivated_at timestamptz,
  muted_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (active = (deactivated_at is null)),
  check (active = (deactivated_reason is null))
);

-- `/start CODE` links a chat to the account that asked for the code on its profile page.
create table telegram_link_code (
  -- sha-256 of the code: a database leak must not hand out links.
  code_hash text primary key,
  user_id bigint not null references app_user (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
create index telegram_link_code_user_idx on telegram_link_code (user_id);

-- Rules. strong: one prediction at or above min_confidence. consensus: at least min_models active
-- models agree on the stock's direction for the same as_of and horizon. flip: a model's direction
-- on the stock changed from its previous prediction. win_rate: a model's rolling win rate fell
-- below win_rate_below (checked by the evaluate job).
alter table alert_subscription
  add column rule text not null default 'strong'
    check (rule in ('strong', 'consensus', 'flip', 'win_rate')),
  add column min_models integer check (min_models between 2 and 100),
  add column win_rate_below double precision check (win_rate_below > 0 and win_rate_below < 1),
  -- once: the first trigger deactivates the rule; daily: at most one trigger per UTC day.
  add column frequency text not null default 'every' check (frequency in ('once', 'daily', 'every')),
  add column expires_at timestamptz,
  -- Collected into the chat's daily digest instead of sent at once.
  add column digest boolean not null default false,
  add column last_triggered_at timestamptz,
  add constraint alert_subscription_consensus_check check ((rule = 'consensus') = (min_models is not null)),
  add constraint alert_subscription_win_rate_check check ((rule = 'win_rate') = (win_rate_below is not null));
alter table alert_subscription drop constraint alert_subscription_chat_stock_model_key;
alter table alert_subscription add constraint alert_subscription_chat_rule_key
  unique nulls not distinct (chat_id, rule, stock_id, model_id, direction);
create index alert_subscription_active_idx on alert_subscription (rule, stock_id) where active;

-- Outbox rows of one collapse key (chat + stock + model, or chat + digest day) that are due
-- together go out as one message; 'sending' rows whose lease ran out are 'unknown' (sent or
-- not, never sent twice). A job failure alert for admin chats has no subscription or prediction.
alter table alert_outbox drop constraint alert_outbox_status_check;
alter table alert_outbox add constraint alert_outbox_status_check
  check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled', 'unknown'));
alter table alert_outbox
  add column kind text not null default 'prediction'
    check (kind in ('prediction', 'win_rate', 'job_failure')),
  add column collapse_key text not null default '',
  add column telegram_message_id bigint,
  add column finished_at timestamptz;
create index alert_outbox_pending_idx on alert_outbox (next_attempt_at) where status = 'pending';
create index alert_outbox_collapse_idx on alert_outbox (collapse_key, sent_at desc);

-- Every sendMessage call: one message may carry several collapsed outbox rows.
create table alert_delivery_attempt (
  id bigint generated always as identity primary key,
  chat_id bigint not null,
  outbox_ids bigint[] not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text check (outcome in ('sent', 'rate_limited', 'retry', 'blocked', 'failed')),
  http_status integer,
  retry_after_seconds integer,
  error text,
  telegram_message_id bigint
);
create index alert_delivery_attempt_started_idx on alert_delivery_attempt (started_at desc);
