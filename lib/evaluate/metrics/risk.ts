// Risk-adjusted views of a daily strategy-return series (risk-free rate 0, 252 trading days).
import { mean, sampleStd } from "./stats.ts";

const ANNUALIZE = Math.sqrt(252);

/** mean / sample std × √252; null with fewer than 2 days or no spread. */
export function sharpe(daily: readonly number[]): number | null {
  const std = sampleStd(daily);
  if (std === null || std === 0) return null;
  return (mean(daily)! / std) * ANNUALIZE;
}

/**
 * mean / downside deviation × √252, the downside deviation being √(mean of min(r, 0)² over all
 * days) — only losses count as risk; null with fewer than 2 days or no losing day.
 */
export function sortino(daily: readonly number[]): number | null {
  if (daily.length < 2) return null;
  let squares = 0;
  for (const r of daily) if (r < 0) squares += r * r;
  const downside = Math.sqrt(squares / daily.length);
  if (downside === 0) return null;
  return (mean(daily)! / downside) * ANNUALIZE;
}

/**
 * The largest fall from a running peak of the equity curve Π(1 + r), which starts at 1 (so a loss
 * on the first day is already a drawdown), as a positive fraction of that peak; 0 if it never
 * falls. Above 1 only if short positions lost more than the whole stake.
 */
export function maxDrawdown(daily: readonly number[]): number {
  let equity = 1;
  let peak = 1; // never below 1: the division is safe
  let worst = 0;
  for (const r of daily) {
    equity *= 1 + r;
    if (equity > peak) peak = equity;
    else worst = Math.max(worst, 1 - equity / peak);
  }
  return worst;
}
