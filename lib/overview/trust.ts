// Which models have earned trust, by one rule the dashboard states in words (TRUST_RULE_TEXT):
// over its scored clean predictions, a model must win more often than chance with 95% confidence
// (the Wilson interval of its win rate lies wholly above 50%), following its calls must have made
// money on average (mean strategy return above 0, before costs) and more than simply holding the
// same stocks (excess over buy-and-hold above 0) — so "the market goes up" is no skill. It is
// judged on its live record once that has MIN_LIVE scored predictions, on its replay record (the
// same point-in-time rules over history) until then: a model that shines in replay but fails live
// loses trust.
import type { MetricsView } from "../api/evaluations_metrics.ts";
import type { PredictionMode } from "../predict/types.ts";

/** Scored live predictions after which the live record alone decides. */
export const MIN_LIVE = 30;

export const TRUST_RULE_TEXT =
  `A model has earned trust when its scored predictions show a win rate whose 95% interval lies ` +
  `entirely above 50%, and following its calls made money on average (before costs) and more ` +
  `than simply holding the same stocks. It is judged on its live record once that has ` +
  `${MIN_LIVE} scored predictions, and on replays of past days (made under the same ` +
  `point-in-time rules) until then. Contaminated predictions never count.`;

export interface TrustVerdict {
  trusted: boolean;
  /** Which record decided; null when there is none to judge by. */
  basis: PredictionMode | null;
  /** Scored predictions in that record. */
  n: number;
}

/** Judges one model by its all-time clean metrics in each mode. */
export function judgeTrust(live: MetricsView, replay: MetricsView): TrustVerdict {
  const basis: PredictionMode | null = live.n >= MIN_LIVE
    ? "live"
    : replay.n > 0
    ? "replay"
    : live.n > 0
    ? "live"
    : null;
  if (basis === null) return { trusted: false, basis, n: 0 };
  const record = basis === "live" ? live : replay;
  const low = record.winRate?.low ?? null;
  const { meanStrategyReturn: mean, excessVsBuyAndHold: excess } = record;
  return {
    trusted: low !== null && low > 0.5 && mean !== null && mean > 0 && excess !== null &&
      excess > 0,
    basis,
    n: record.n,
  };
}
