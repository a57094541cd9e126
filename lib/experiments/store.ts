// The only module that writes SQL for `ab_test`.
import type { ISql } from "postgres";
import type { AbVariant as Variant } from "../predict/ab_assign.ts";
import type { AssignBy, Experiment, ExperimentStatus } from "./experiment.ts";

interface ExperimentRow {
  id: number;
  name: string;
  description: string | null;
  variants: Variant[];
  status: ExperimentStatus;
  assign_by: AssignBy;
  starts_at: Date | null;
  ends_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toExperiment(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    variants: row.variants,
    status: row.status,
    assignBy: row.assign_by,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listExperiments(
  sql: ISql,
  options: { status?: ExperimentStatus } = {},
): Promise<Experiment[]> {
  const rows = await sql<ExperimentRow[]>`
    select * from ab_test
    where ${options.status ? sql`status = ${options.status}` : sql`true`}
    order by created_at desc, id desc`;
  return rows.map(toExperiment);
}

export async function getExperiment(sql: ISql, id: number): Promise<Experiment | null> {
  const [row] = await sql<ExperimentRow[]>`select * from ab_test where id = ${id}`;
  return row ? toExperiment(row) : null;
}

/** What an admin sets; validated by lib/experiments/validate.ts. */
export interface ExperimentFields {
  name: string;
  description: string | null;
  variants: Variant[];
  assignBy: AssignBy;
  startsAt: Date | null;
  endsAt: Date | null;
}

export async function createExperiment(sql: ISql, f: ExperimentFields): Promise<Experiment> {
  const [row] = await sql<ExperimentRow[]>`
    insert into ab_test (name, description, variants, assign_by, starts_at, ends_at)
    values (${f.name}, ${f.description}, ${sql.json(f.variants as never)}, ${f.assignBy},
      ${f.startsAt}, ${f.endsAt})
    returning *`;
  return toExperiment(row);
}

/** Replaces a draft's fields; null when there is no such draft. */
export async function updateDraft(
  sql: ISql,
  id: number,
  f: ExperimentFields,
): Promise<Experiment | null> {
  const [row] = await sql<ExperimentRow[]>`
    update ab_test set name = ${f.name}, description = ${f.description},
      variants = ${sql.json(f.variants as never)}, assign_by = ${f.assignBy},
      starts_at = ${f.startsAt}, ends_at = ${f.endsAt}, updated_at = now()
    where id = ${id} and status = 'draft'
    returning *`;
  return row ? toExperiment(row) : null;
}

/**
 * Moves the experiment from `from` to `to` (checked by the caller with `canMove`) unless another
 * request moved it first. Starting sets a missing start to now; stopping ends the period now.
 * Never violates the period's `ends_at > starts_at` check, whatever the dates.
 */
export async function moveExperiment(
  sql: ISql,
  id: number,
  from: ExperimentStatus,
  to: ExperimentStatus,
): Promise<Experiment | null> {
  const [row] = await sql<ExperimentRow[]>`
    update ab_test set status = ${to}, updated_at = now(),
      -- Both bounds keep the period non-empty (ends_at > starts_at): a draft whose end already
      -- passed starts just before it (and is never live); an experiment stopped before its start
      -- ends a second after it.
      starts_at = case when ${to} = 'running'
        then coalesce(starts_at, least(now(), ends_at - interval '1 second')) else starts_at end,
      ends_at = case when ${to} = 'stopped'
        then greatest(least(coalesce(ends_at, now()), now()), starts_at + interval '1 second')
        else ends_at end
    where id = ${id} and status = ${from}
    returning *`;
  return row ? toExperiment(row) : null;
}

/** Deletes a draft; false when there is no such draft. */
export async function deleteDraft(sql: ISql, id: number): Promise<boolean> {
  const rows = await sql`delete from ab_test where id = ${id} and status = 'draft' returning id`;
  return rows.length === 1;
}

/** Per variant: predictions made under the experiment and their scored outcomes. */
export interface VariantResult {
  variant: string;
  predictions: number;
  scored: number;
  wins: number;
  losses: number;
  /** Mean of return × (+1 up, −1 down, 0 flat) over scored predictions. */
  meanStrategyReturn: number | null;
}

export async function experimentResults(sql: ISql, id: number): Promise<VariantResult[]> {
  return await sql<VariantResult[]>`
    select p.variant, count(*)::int as predictions, count(o.id)::int as scored,
      count(*) filter (where o.result = 'win')::int as wins,
      count(*) filter (where o.result = 'loss')::int as losses,
      avg(o.realized_return * case p.direction when 'up' then 1 when 'down' then -1 else 0 end)
        as "meanStrategyReturn"
    from prediction p left join prediction_outcome o on o.prediction_id = p.id
    where p.ab_test_id = ${id}
    group by p.variant order by p.variant`;
}
