// Reading predictions (lib/predictions/store.ts writes them): filtered, keyset-paginated lists with
// everything a page or an export shows, each model's latest call on one stock, the dashboard's
// strongest signals, and live predictions by id for the prediction stream.
import type { ISql } from "postgres";
import type { LiveSignal } from "../live/signal.ts";
import type { Direction, PredictionMode } from "../predict/types.ts";

export const CONTAMINATED_FILTERS = ["include", "exclude", "only"] as const;
/** Whether predictions made before the model's knowledge cutoff are listed (DESIGN §5). */
export type ContaminatedFilter = typeof CONTAMINATED_FILTERS[number];

/** Every filter narrows the list; an unknown symbol or model name matches nothing. */
export interface PredictionFilters {
  /** Upper-case ticker as stored. */
  symbol?: string;
  /** Model name (model.name). */
  model?: string;
  direction?: Direction;
  /** confidence >= minConfidence. */
  minConfidence?: number;
  /** First UTC day of as_of, inclusive ("YYYY-MM-DD"). */
  from?: string;
  /** Last UTC day of as_of, inclusive ("YYYY-MM-DD"). */
  to?: string;
  mode?: PredictionMode;
  /** Default "include". */
  contaminated?: ContaminatedFilter;
}

/** Keyset position: list the predictions strictly after this one in newest-first order. */
export interface PredictionCursor {
  asOf: Date;
  id: number;
}

export interface CitedNews {
  id: number;
  title: string;
  url: string;
}

export interface PredictionOutcome {
  /** From the first close after as_of to the close `horizon` trading days later (0.012 = +1.2%). */
  realizedReturn: number;
  result: "win" | "loss" | "flat";
}

/** A prediction as lists, pages and exports show it. */
export interface ListedPrediction {
  id: number;
  model: { name: string; provider: string };
  symbol: string;
  asOf: Date;
  /** Trading days. */
  horizon: number;
  direction: Direction;
  /** 0 to 1. */
  confidence: number;
  reasoning: string | null;
  /** In the order the model cited them; ids whose news no longer exists are left out. */
  citedNews: CitedNews[];
  /** A/B test name; null when not made for one (or the test was deleted). */
  abTest: string | null;
  variant: string | null;
  mode: PredictionMode;
  contaminated: boolean;
  /** US dollars; null when unknown (built-in models cost nothing and record 0). */
  cost: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Null until the evaluate job has labelled it. */
  outcome: PredictionOutcome | null;
  createdAt: Date;
}

interface PredictionRow {
  id: number;
  model_name: string;
  model_provider: string;
  symbol: string;
  as_of: Date;
  horizon: number;
  direction: Direction;
  confidence: number;
  reasoning: string | null;
  cited_news: CitedNews[];
  ab_test: string | null;
  variant: string | null;
  mode: PredictionMode;
  contaminated: boolean;
  cost: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  realized_return: number | null;
  result: PredictionOutcome["result"] | null;
  created_at: Date;
}

/** The columns of a PredictionRow, from `PREDICTION_SOURCE`. */
const PREDICTION_COLUMNS = (sql: ISql) =>
  sql`p.id, m.name as model_name, m.provider as model_provider, s.symbol, p.as_of, p.horizon,
    p.direction, p.confidence, p.reasoning,
    coalesce((
      select json_agg(json_build_object('id', n.id, 'title', n.title, 'url', n.url)
        order by cited.position)
      from unnest(p.cited_news_ids) with ordinality as cited (news_id, position)
      join news n on n.id = cited.news_id
    ), '[]'::json) as cited_news,
    t.name as ab_test, p.variant, p.mode, p.contaminated, p.cost, p.input_tokens,
    p.output_tokens, o.realized_return, o.result, p.created_at`;

const PREDICTION_SOURCE = (sql: ISql) =>
  sql`prediction p
    join model m on m.id = p.model_id
    join stock s on s.id = p.stock_id
    left join ab_test t on t.id = p.ab_test_id
    left join prediction_outcome o on o.prediction_id = p.id`;

function toPrediction(row: PredictionRow): ListedPrediction {
  return {
    id: row.id,
    model: { name: row.model_name, provider: row.model_provider },
    symbol: row.symbol,
    asOf: row.as_of,
    horizon: row.horizon,
    direction: row.direction,
    confidence: row.confidence,
    reasoning: row.reasoning,
    citedNews: row.cited_news,
    abTest: row.ab_test,
    variant: row.variant,
    mode: row.mode,
    contaminated: row.contaminated,
    cost: row.cost,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    outcome: row.realized_return === null || row.result === null
      ? null
      : { realizedReturn: row.realized_return, result: row.result },
    createdAt: row.created_at,
  };
}

/** `filters` and the keyset position as one SQL condition on PREDICTION_SOURCE. */
function matching(sql: ISql, filters: PredictionFilters, before: PredictionCursor | undefined) {
  const { symbol, model, direction, minConfidence, from, to, mode } = filters;
  const contaminated = filters.contaminated ?? "include";
  const conditions = [
    symbol === undefined ? sql`true` : sql`s.symbol = ${symbol}`,
    model === undefined ? sql`true` : sql`m.name = ${model}`,
    direction === undefined ? sql`true` : sql`p.direction = ${direction}`,
    minConfidence === undefined ? sql`true` : sql`p.confidence >= ${minConfidence}`,
    // Whole UTC days, spelled out so the session's time zone cannot shift them; `< next midnight`
    // keeps the last microsecond of `to` (an upper bound of 23:59:59.999 would not).
    from === undefined ? sql`true` : sql`p.as_of >= (${from}::date)::timestamp at time zone 'UTC'`,
    to === undefined ? sql`true` : sql`p.as_of < (${to}::date + 1)::timestamp at time zone 'UTC'`,
    mode === undefined ? sql`true` : sql`p.mode = ${mode}`,
    contaminated === "include"
      ? sql`true`
      : contaminated === "only"
      ? sql`p.contaminated`
      : sql`not p.contaminated`,
    before === undefined
      ? sql`true`
      : sql`(p.as_of, p.id) < (${before.asOf}::timestamptz, ${before.id}::bigint)`,
  ];
  return conditions.reduce((all, condition) => sql`${all} and ${condition}`);
}

export interface ListPredictionsOptions {
  limit: number;
  /** The last prediction of the previous page. */
  before?: PredictionCursor;
}

/**
 * Predictions newest first (as_of, then id), paginated by keyset: pass the last prediction of a
 * page as `before` to get the next one; predictions added meanwhile never shift or repeat a page.
 */
export async function listPredictions(
  sql: ISql,
  filters: PredictionFilters,
  options: ListPredictionsOptions,
): Promise<ListedPrediction[]> {
  const rows = await sql<PredictionRow[]>`
    select ${PREDICTION_COLUMNS(sql)}
    from ${PREDICTION_SOURCE(sql)}
    where ${matching(sql, filters, options.before)}
    order by p.as_of desc, p.id desc
    limit ${options.limit}`;
  return rows.map(toPrediction);
}

/**
 * How many predictions match (after `before`, when given), counting no further than `upTo`: enough
 * to tell whether an export would be cut short, without counting a whole table.
 */
export async function countPredictions(
  sql: ISql,
  filters: PredictionFilters,
  options: { before?: PredictionCursor; upTo: number },
): Promise<number> {
  const [{ count }] = await sql<{ count: number }[]>`
    select count(*) as count from (
      select 1 from ${PREDICTION_SOURCE(sql)}
      where ${matching(sql, filters, options.before)}
      limit ${options.upTo}
    ) matched`;
  return count;
}

/**
 * The latest prediction of each model for a stock (newest as_of, then newest id, whatever the
 * horizon or mode), newest first, then by model name.
 */
export async function latestPredictionsForStock(
  sql: ISql,
  stockId: number,
  limit: number,
): Promise<ListedPrediction[]> {
  // The ids first: the columns (cited news among them) are then built for those rows only.
  const rows = await sql<PredictionRow[]>`
    with latest as (
      select distinct on (model_id) id from prediction
      where stock_id = ${stockId}
      order by model_id, as_of desc, id desc
    )
    select ${PREDICTION_COLUMNS(sql)}
    from ${PREDICTION_SOURCE(sql)}
    where p.id in (select id from latest)
    order by p.as_of desc, m.name
    limit ${limit}`;
  return rows.map(toPrediction);
}

/** Every registered model's name, for a filter's choices (retired models made predictions too). */
export async function predictionModelNames(sql: ISql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`select name from model order by name`;
  return rows.map((row) => row.name);
}

/**
 * The trusted models' live up and down calls as of each stock's latest live close (crypto trades
 * at weekends, equities don't: each stock has its own latest day), most confident first. Stocks
 * whose latest call is over a week older than the newest are left out; flat calls are no trade.
 */
export async function strongestSignals(
  sql: ISql,
  options: { models: readonly string[]; limit: number },
): Promise<ListedPrediction[]> {
  if (options.models.length === 0) return [];
  // Asked first, so the planner sees the bound and reads only that week through the as_of index.
  const [{ newest }] = await sql<{ newest: Date | null }[]>`
    select max(as_of) as newest from prediction where mode = 'live'`;
  if (newest === null) return [];
  const since = new Date(newest.getTime() - 7 * 86_400_000);
  const rows = await sql<PredictionRow[]>`
    with latest as (
      select distinct on (q.stock_id) q.stock_id, q.as_of from prediction q
      where q.mode = 'live' and q.as_of > ${since}
      order by q.stock_id, q.as_of desc
    )
    select ${PREDICTION_COLUMNS(sql)}
    from ${PREDICTION_SOURCE(sql)}
    join latest l on l.stock_id = p.stock_id and l.as_of = p.as_of
    where p.mode = 'live' and not p.contaminated and p.direction <> 'flat'
      and m.name = any(${options.models as string[]}::text[])
    order by p.confidence desc, p.as_of desc, p.id desc
    limit ${options.limit}`;
  return rows.map(toPrediction);
}

const LIVE_SIGNAL_COLUMNS = (sql: ISql) =>
  sql`p.id, m.name as model, s.symbol, p.as_of as "asOf", p.horizon, p.direction, p.confidence`;

type LiveSignalRow = Omit<LiveSignal, "asOf"> & { asOf: Date };

const toLiveSignal = (row: LiveSignalRow): LiveSignal => ({
  ...row,
  asOf: row.asOf.toISOString(),
});

/** The newest live predictions, newest first. */
export async function latestLiveSignals(sql: ISql, limit: number): Promise<LiveSignal[]> {
  const rows = await sql<LiveSignalRow[]>`
    select ${LIVE_SIGNAL_COLUMNS(sql)}
    from prediction p join model m on m.id = p.model_id join stock s on s.id = p.stock_id
    where p.mode = 'live'
    order by p.as_of desc, p.id desc
    limit ${limit}`;
  return rows.map(toLiveSignal);
}

/** Live predictions stored after id `afterId`, oldest first, at most `limit`. */
export async function liveSignalsAfter(
  sql: ISql,
  afterId: number,
  limit: number,
): Promise<LiveSignal[]> {
  const rows = await sql<LiveSignalRow[]>`
    select ${LIVE_SIGNAL_COLUMNS(sql)}
    from prediction p join model m on m.id = p.model_id join stock s on s.id = p.stock_id
    where p.mode = 'live' and p.id > ${afterId}
    order by p.id
    limit ${limit}`;
  return rows.map(toLiveSignal);
}

/**
 * Where to resume after `afterId` so that at most `limit` live predictions come back: `afterId`
 * itself when fewer are newer, else the id just before the `limit`-th newest.
 */
export async function liveResumePoint(sql: ISql, afterId: number, limit: number): Promise<number> {
  const [{ resume }] = await sql<{ resume: number }[]>`
    select coalesce(min(id) - 1, ${afterId}) as resume from (
      select id from prediction where mode = 'live' and id > ${afterId}
      order by id desc limit ${limit}
    ) newest`;
  return resume;
}

/** The highest prediction id (0 when there is none): a stream starts after it. */
export async function latestPredictionId(sql: ISql): Promise<number> {
  const [{ id }] = await sql<{ id: number | null }[]>`select max(id) as id from prediction`;
  return id ?? 0;
}

/** One model's call on one stock, for marking on its price chart. */
export interface StockCall {
  asOf: Date;
  horizon: number;
  direction: Direction;
  confidence: number;
  mode: PredictionMode;
  outcome: PredictionOutcome | null;
}

/**
 * A model's clean calls on a stock at its shortest horizon there, as of `since` or later, oldest
 * first (live and replay alike: a replay obeys the same point-in-time rules).
 */
export async function stockCalls(
  sql: ISql,
  options: { stockId: number; model: string; since: Date },
): Promise<StockCall[]> {
  const rows = await sql<
    (Omit<StockCall, "outcome"> & Pick<PredictionRow, "realized_return" | "result">)[]
  >`
    with calls as (
      select p.id, p.as_of, p.horizon, p.direction, p.confidence, p.mode
      from prediction p join model m on m.id = p.model_id
      where p.stock_id = ${options.stockId} and m.name = ${options.model} and not p.contaminated
        and p.as_of >= ${options.since}
    )
    select c.as_of as "asOf", c.horizon, c.direction, c.confidence, c.mode, o.realized_return,
      o.result
    from calls c
    left join prediction_outcome o on o.prediction_id = c.id
    where c.horizon = (select min(horizon) from calls)
    order by c.as_of, c.id`;
  return rows.map(({ realized_return, result, ...call }) => ({
    ...call,
    outcome: realized_return === null || result === null
      ? null
      : { realizedReturn: realized_return, result },
  }));
}
