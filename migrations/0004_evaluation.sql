-- Evaluation (issue 6): daily performance per model and mode (live and replay are never mixed),
-- snapshots per population (clean predictions, and contaminated ones reported apart), and the
-- indexes the outcome labelling and the leaderboard read through.

alter table daily_performance add column mode text not null default 'replay'
  check (mode in ('live', 'replay'));
alter table daily_performance alter column mode drop default;
alter table daily_performance drop constraint daily_performance_model_date_key;
alter table daily_performance add constraint daily_performance_model_mode_date_key
  unique (model_id, mode, date);

alter table evaluation drop column includes_contaminated;
-- 'clean': contaminated predictions left out (the default view); 'contaminated': only those.
alter table evaluation add column population text not null default 'clean'
  check (population in ('clean', 'contaminated'));
drop index evaluation_model_computed_idx;
create index evaluation_current_idx
  on evaluation (model_id, mode, population, window_days, computed_at desc);

-- Labelling walks predictions by id looking for those without an outcome.
create index prediction_outcome_exit_idx on prediction_outcome (exit_date);
