// Outcome labelling (DESIGN §5–§6): a prediction as of T is scored on the stock's own bars, from
// the first close after T (entry) to the close `horizon` bars later (exit) — trading days as the
// stock trades them, so holidays and crypto's seven-day week count right. Returns use adjusted
// closes when both bars have one (a split is then no move), raw closes otherwise.
//
// Result, with `band` the flat band: "flat" — neither win nor loss — when the call was flat (no
// position: its strategy return is 0 whatever happens) or |return| < band; otherwise up and a
// rise, or down and a fall, win, and the opposite loses. The win rate thus measures directional
// calls only, and a model is not punished for saying "no view".
//
// A prediction whose exit bar has not closed yet stays pending: nothing is guessed. Each batch is
// one insert … select, so a kill leaves whole batches, and `on conflict do nothing` makes a rerun
// (or a concurrent one) add nothing twice.
import type { Sql } from "postgres";

export interface LabelOptions {
  /** |return| below this is flat. */
  band: number;
  /** Bars must have closed by this instant. */
  now: Date;
  /** Predictions examined per statement. */
  batchSize?: number;
  signal?: AbortSignal;
}

const DEFAULT_BATCH = 5_000;

/** Labels every pending prediction that can be; returns how many it labelled. */
export async function labelOutcomes(sql: Sql, options: LabelOptions): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  let afterId = 0;
  let labelled = 0;
  while (!options.signal?.aborted) {
    const [row] = await sql<{ last_id: number | null; labelled: number }[]>`
      with pending as (
        select p.id, p.stock_id, p.as_of, p.horizon, p.direction from prediction p
        where p.id > ${afterId}
          and not exists (select 1 from prediction_outcome o where o.prediction_id = p.id)
        order by p.id
        limit ${batchSize}
      ), legs as (
        select pe.id, pe.direction, e.date as entry_date, x.date as exit_date,
          case when e.adj_close is not null and x.adj_close is not null
            then e.adj_close else e.close end as entry_close,
          case when e.adj_close is not null and x.adj_close is not null
            then x.adj_close else x.close end as exit_close
        from pending pe
        join lateral (
          select b.date, b.close, b.adj_close from price_bar b
          where b.stock_id = pe.stock_id and b.closed_at > pe.as_of
            -- Lets the (stock_id, date) index start near as-of instead of the first bar: a bar
            -- dated d closes before d + 2 days 00:00 UTC in every market we hold.
            and b.date >= (pe.as_of at time zone 'UTC')::date - 2
          order by b.date limit 1
        ) e on true
        join lateral (
          select b.date, b.close, b.adj_close from price_bar b
          where b.stock_id = pe.stock_id and b.date > e.date and b.closed_at <= ${options.now}
          order by b.date offset pe.horizon - 1 limit 1
        ) x on true
      ), scored as (
        select legs.*, exit_close / entry_close - 1 as realized_return from legs
      ), inserted as (
        insert into prediction_outcome (prediction_id, entry_date, exit_date, entry_close,
          exit_close, realized_return, result, flat_threshold)
        select id, entry_date, exit_date, entry_close, exit_close, realized_return,
          case
            when direction = 'flat' or abs(realized_return) < ${options.band} then 'flat'
            when (direction = 'up' and realized_return > 0)
              or (direction = 'down' and realized_return < 0) then 'win'
            else 'loss'
          end,
          ${options.band}
        from scored
        on conflict (prediction_id) do nothing
        returning 1
      )
      select (select max(id) from pending) as last_id, (select count(*)::int from inserted) as labelled`;
    labelled += row.labelled;
    if (row.last_id === null) break;
    afterId = row.last_id;
  }
  return labelled;
}
