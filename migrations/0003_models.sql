-- Competing models (issue 5): a stable model identity with versioned prompts, a daily spending
-- cap, the full run record of every prediction, failed attempts kept apart from predictions, and
-- A/B experiments with the statuses draft → running → stopped.

-- A model keeps its name and id across prompt edits; each edit is a new `model_prompt` version.
alter table model drop constraint model_name_prompt_version_key;
alter table model drop column prompt_template, drop column prompt_version;
alter table model add constraint model_name_key unique (name);
-- US dollars per UTC day across predictions and failed attempts; null: no cap.
alter table model add column daily_cap_usd double precision
  check (daily_cap_usd >= 0 and daily_cap_usd < 'Infinity');

create table model_prompt (
  id bigint generated always as identity primary key,
  -- Restrict: predictions point at the prompt version that made them.
  model_id bigint not null references model (id) on delete restrict,
  version integer not null check (version > 0),
  template text not null check (template <> ''),
  -- sha-256 (hex) of the template: the run record names exactly what the model was asked.
  template_hash text not null check (template_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  constraint model_prompt_model_version_key unique (model_id, version)
);

alter table prediction
  add column prompt_id bigint references model_prompt (id) on delete restrict,
  -- Every news id the model was shown (cited_news_ids is the subset it said it relied on).
  add column shown_news_ids bigint[] not null default '{}',
  -- sha-256 (hex) of the canonical point-in-time inputs: `deno task lookahead` recomputes it.
  add column inputs_hash text check (inputs_hash ~ '^[0-9a-f]{64}$'),
  -- Provider model id, parameters, prompt version and hash, embedder, retrieval parameters.
  add column run_record jsonb not null default '{}' check (jsonb_typeof(run_record) = 'object');
create index prediction_model_created_idx on prediction (model_id, created_at);
-- The predictions list and its CSV export page newest first by (as_of, id).
create index prediction_as_of_id_idx on prediction (as_of desc, id desc);

-- A model call that produced no prediction (invalid answer after the retry, refusal, API error):
-- recorded with its cost, never turned into a made-up prediction.
create table prediction_attempt (
  id bigint generated always as identity primary key,
  model_id bigint not null references model (id) on delete cascade,
  stock_id bigint not null references stock (id) on delete cascade,
  as_of timestamptz not null,
  horizon integer not null check (horizon between 1 and 366),
  mode text not null check (mode in ('live', 'replay')),
  error text not null check (error <> ''),
  -- The model's last answer, cut to a few kilobytes: what failed validation.
  answer text,
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  cost double precision not null default 0 check (cost >= 0 and cost < 'Infinity'),
  run_record jsonb not null default '{}' check (jsonb_typeof(run_record) = 'object'),
  created_at timestamptz not null default now()
);
create index prediction_attempt_model_created_idx on prediction_attempt (model_id, created_at);

update ab_test set status = 'stopped' where status in ('paused', 'completed', 'cancelled');
alter table ab_test drop constraint ab_test_status_check;
alter table ab_test add constraint ab_test_status_check
  check (status in ('draft', 'running', 'stopped'));
-- What is assigned to a variant: each stock, or each user (for user-facing experiments).
alter table ab_test add column assign_by text not null default 'stock'
  check (assign_by in ('stock', 'user'));
