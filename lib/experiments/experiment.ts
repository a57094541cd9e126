// An A/B experiment (DESIGN §4 `ab_test`): variants are models with weights; a stock (or user)
// is assigned to one variant by a stable hash (lib/predict/ab_assign.ts).
import type { AbVariant } from "../predict/ab_assign.ts";

export const EXPERIMENT_STATUSES = ["draft", "running", "stopped"] as const;
export type ExperimentStatus = typeof EXPERIMENT_STATUSES[number];
export const ASSIGN_BY = ["stock", "user"] as const;
export type AssignBy = typeof ASSIGN_BY[number];

export interface Experiment {
  id: number;
  name: string;
  description: string | null;
  variants: AbVariant[];
  status: ExperimentStatus;
  assignBy: AssignBy;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Running and inside its period at `now`: the predict job assigns stocks to its variants. */
export function isLive(experiment: Experiment, now: Date): boolean {
  return experiment.status === "running" &&
    (experiment.startsAt === null || experiment.startsAt <= now) &&
    (experiment.endsAt === null || now < experiment.endsAt);
}

/** Allowed status changes: a draft starts, a running experiment stops; nothing restarts. */
export function canMove(from: ExperimentStatus, to: ExperimentStatus): boolean {
  return (from === "draft" && to === "running") || (from === "running" && to === "stopped");
}
