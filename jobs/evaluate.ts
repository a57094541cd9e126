// The evaluate job (DESIGN §6–§7): label the outcomes whose horizon has passed, then recompute
// each model's daily performance and its metric snapshots — per mode (live and replay never mix),
// per window (30 and 90 days up to the model's latest resolved day, and all time), with
// contaminated predictions left out and reported apart. Every write replaces what it recomputes
// (idempotent); a kill leaves whole statements and the next run recomputes from the outcomes.
import { enqueueWinRateAlerts } from "../lib/alerts/enqueue.ts";
import { summarize } from "../lib/evaluate/metrics/summary.ts";
import { labelOutcomes } from "../lib/evaluate/outcomes.ts";
import { scoredPredictions } from "../lib/evaluate/query.ts";
import {
  dailyAggregates,
  insertSnapshots,
  replaceDailyPerformance,
  type Snapshot,
  trimSnapshots,
} from "../lib/evaluate/store.ts";
import type { ScoredPrediction } from "../lib/evaluate/types.ts";
import type { Job, JobCounts } from "../lib/jobs/job.ts";
import { listModels } from "../lib/models/store.ts";
import type { PredictionMode } from "../lib/predict/types.ts";

const MODES: readonly PredictionMode[] = ["live", "replay"];
const WINDOWS: readonly (number | null)[] = [30, 90, null];
/** Older snapshots are history; a month of it is kept. */
const SNAPSHOT_HISTORY_MS = 30 * 86_400_000;

/** The predictions of the last `days` days up to the latest exit day (all with null). */
export function inWindow(
  predictions: readonly ScoredPrediction[],
  days: number | null,
): ScoredPrediction[] {
  if (days === null || predictions.length === 0) return [...predictions];
  const latest = predictions.reduce((max, p) => p.exitDate > max ? p.exitDate : max, "");
  const start = new Date(Date.parse(`${latest}T00:00:00Z`) - (days - 1) * 86_400_000)
    .toISOString().slice(0, 10);
  return predictions.filter((p) => p.exitDate >= start);
}

function period(predictions: readonly ScoredPrediction[]) {
  if (predictions.length === 0) return { periodStart: null, periodEnd: null };
  const days = predictions.map((p) => p.exitDate).sort();
  return { periodStart: days[0], periodEnd: days[days.length - 1] };
}

export function createEvaluateJob(): Job {
  return {
    name: "evaluate",
    description: "Label outcomes whose horizon passed; recompute metrics",
    async run({ app, log, signal, args, fencedSql: sql }) {
      if (args.length) throw new Error(`evaluate: unknown flag ${args[0]} (it takes none)`);
      // Fenced: the replacing transactions below commit only while this run is current.
      const { flatBand, costBps } = app.config.evaluate;
      const counts: JobCounts = {};
      counts.labelled = await labelOutcomes(sql, { band: flatBand, now: new Date(), signal });
      for (const model of await listModels(sql)) {
        for (const mode of MODES) {
          if (signal.aborted) return counts;
          await replaceDailyPerformance(
            sql,
            model.id,
            mode,
            await dailyAggregates(sql, model.id, mode),
          );
          const snapshots: Snapshot[] = [];
          for (const population of ["clean", "contaminated"] as const) {
            const scored = await scoredPredictions(sql, { modelId: model.id, mode, population });
            // A model with no predictions still gets its (empty) clean snapshot: "no data".
            if (scored.length === 0 && population === "contaminated") continue;
            for (const windowDays of WINDOWS) {
              const chosen = inWindow(scored, windowDays);
              snapshots.push({
                modelId: model.id,
                mode,
                population,
                windowDays,
                ...period(chosen),
                metrics: summarize(chosen, { costBps, flatThreshold: flatBand }),
              });
            }
          }
          await insertSnapshots(sql, snapshots);
          counts.snapshots = (counts.snapshots ?? 0) + snapshots.length;
        }
      }
      // Win-rate alerts read the snapshots just written (lib/alerts/enqueue.ts).
      counts.alerts = await enqueueWinRateAlerts(sql, new Date(), app.config.alerts);
      const trimmed = await trimSnapshots(sql, new Date(Date.now() - SNAPSHOT_HISTORY_MS));
      if (trimmed) log.info("old evaluation snapshots trimmed", { trimmed });
      return counts;
    },
  };
}
