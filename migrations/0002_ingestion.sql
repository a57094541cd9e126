-- Ingestion (issue 3): the raw archive index, news feeds an admin can add, and the flag for news
-- whose publication time the source did not give.

-- Every fetched payload, stored gzip-compressed and content-addressed (sha-256 of the raw bytes)
-- before parsing, so a parser fix can re-parse history (`deno task job crawl --reparse`).
create table raw_payload (
  id bigint generated always as identity primary key,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  -- Which adapter fetched it ('yahoo', 'stooq', 'coingecko', 'feed', 'import') and what it is.
  source text not null check (source <> ''),
  kind text not null check (kind in ('prices', 'news')),
  url text not null,
  -- The stock a per-stock fetch was for (null for feeds covering many).
  stock_id bigint references stock (id) on delete set null,
  content_type text,
  bytes integer not null check (bytes >= 0),
  fetched_at timestamptz not null default now(),
  -- Outcome of the last parse: 'parsed', or 'rejected' with the reason.
  parse_status text not null default 'pending' check (parse_status in ('pending', 'parsed', 'rejected')),
  parse_error text,
  parsed_at timestamptz,
  -- One row per distinct payload per request: re-fetching identical bytes adds nothing.
  constraint raw_payload_source_url_sha_key unique (source, url, sha256)
);
create index raw_payload_fetched_idx on raw_payload (fetched_at desc);
create index raw_payload_kind_idx on raw_payload (kind, source, fetched_at);

-- RSS 2.0 / Atom feeds: per-stock finance feeds and any feed URL an admin adds.
create table news_feed (
  id bigint generated always as identity primary key,
  url text not null constraint news_feed_url_key unique check (url ~ '^https?://'),
  title text,
  -- Set for a per-ticker feed: its items are about this stock even when the text doesn't say so.
  stock_id bigint references stock (id) on delete cascade,
  active boolean not null default true,
  -- HTTP validators for conditional GETs.
  etag text,
  last_modified text,
  last_fetched_at timestamptz,
  last_error text,
  created_at timestamptz not null default now()
);

alter table news
  -- True when the feed gave no (usable) date and `published_at` fell back to `fetched_at`.
  add column published_at_estimated boolean not null default false;

-- Matching lists a stock's news newest first; the point-in-time rule filters on published_at.
create index news_stock_news_idx on news_stock (news_id);

-- A run that finished but had failures along the way (one source down, others loaded): its
-- `error` lists what failed, its counts what loaded.
alter table job_run drop constraint job_run_status_check;
alter table job_run add constraint job_run_status_check
  check (status in ('running', 'succeeded', 'partial', 'failed', 'skipped', 'interrupted'));
